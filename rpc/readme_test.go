package rpc

import (
	"os"
	"slices"
	"strings"
	"testing"
)

const (
	readmePath    = "../README.md"
	commandsStart = "<!-- commands:start (generated from the command table by go test ./rpc -run TestReadmeCommands -update) -->"
	commandsEnd   = "<!-- commands:end -->"
)

// readmeCommandList renders the commands of the table by group, as the README lists them.
func readmeCommandList(srv *Server) string {
	byGroup := map[Group][]string{}
	for _, cmd := range srv.Commands() {
		name := strings.ToUpper(cmd.Name)
		if len(cmd.Subcommands) > 0 {
			var subs []string
			for _, sub := range cmd.Subcommands {
				subs = append(subs, strings.ToUpper(sub.Name[len(cmd.Name)+1:]))
			}
			slices.Sort(subs)
			name += " (" + strings.Join(subs, " ") + ")"
		}
		byGroup[cmd.Group] = append(byGroup[cmd.Group], name)
	}
	var b strings.Builder
	for g := range groupNames {
		names := byGroup[Group(g)]
		if len(names) == 0 {
			continue
		}
		title := Group(g).String()
		if title == "" {
			title = "other"
		}
		b.WriteString("- **" + title + "**: " + strings.Join(names, " ") + "\n")
	}
	return b.String()
}

// TestReadmeCommands keeps the README's list of supported commands equal to the table.
func TestReadmeCommands(t *testing.T) {
	srv, err := NewServer(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	i, j := strings.Index(readme, commandsStart), strings.Index(readme, commandsEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q ... %q section", commandsStart, commandsEnd)
	}
	want := readmeCommandList(srv)
	got := readme[i+len(commandsStart)+1 : j]
	if got == want {
		return
	}
	if *update {
		readme = readme[:i+len(commandsStart)+1] + want + readme[j:]
		if err := os.WriteFile(readmePath, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's command list differs from the table; run go test ./rpc -run TestReadmeCommands -update\ngot:\n%s\nwant:\n%s", got, want)
}
