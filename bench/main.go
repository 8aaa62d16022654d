package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// loopModels are the kvrpcd loop models compared with redis-server, in table order.
var loopModels = []string{"net", "reactor", "redcon"}

// redisName names redis-server in tables and ratios.
const redisName = "redis"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// options are the command-line flags.
type options struct {
	quick      bool
	rounds     int
	out        string
	memoryOnly bool // only the memory report
	noMemory   bool // no memory report
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.BoolVar(&o.quick, "quick", false, "fewer requests and one round (a smoke run, under 30 s)")
	fs.IntVar(&o.rounds, "rounds", 3, "rounds over every server and workload")
	fs.StringVar(&o.out, "out", "", "directory for results.md and results.svg (default docs/bench in the module root)")
	fs.BoolVar(&o.memoryOnly, "memory-only", false, "run only the memory report and replace its section of results.md")
	fs.BoolVar(&o.noMemory, "no-memory", false, "skip the memory report")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	roundsSet := false
	fs.Visit(func(f *flag.Flag) { roundsSet = roundsSet || f.Name == "rounds" })
	if o.quick && !roundsSet {
		o.rounds = 1
	}
	if o.rounds < 1 || o.rounds > 100 {
		return o, fmt.Errorf("--rounds %d: want 1 to 100", o.rounds)
	}
	if o.memoryOnly && o.noMemory {
		return o, errors.New("--memory-only and --no-memory exclude each other")
	}
	return o, nil
}

func run(ctx context.Context, args []string) error {
	opts, err := parseFlags(args)
	if err != nil {
		return err
	}
	for _, tool := range []string{"go", "redis-server", "redis-benchmark"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is needed: %w", tool, err)
		}
	}
	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	if opts.out == "" {
		opts.out = filepath.Join(root, "docs", "bench")
	}
	tmp, err := os.MkdirTemp("", "kvrpcd-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	logf("building kvrpcd")
	bin, err := buildKvrpcd(ctx, root, tmp)
	if err != nil {
		return err
	}
	pin := choosePinning()
	logf("%s", pin.describe())

	if err := os.MkdirAll(opts.out, 0o755); err != nil {
		return err
	}
	if opts.memoryOnly {
		return memoryOnly(ctx, bin, tmp, pin, opts, args)
	}

	servers, err := startServers(ctx, bin, tmp, pin)
	defer stopServers(servers)
	if err != nil {
		return err
	}

	start := time.Now()
	ws := workloads(opts.quick)
	samples, err := runRounds(ctx, servers, ws, opts, pin, clockTicks(ctx))
	if err != nil {
		return err
	}
	logf("benchmark done in %s", time.Since(start).Round(time.Second))
	stopServers(servers)

	names := make([]string, len(servers))
	for i, s := range servers {
		names[i] = s.name
	}
	rep := buildReport(ws, names, samples)
	rep.print(os.Stdout)

	var mem *memoryReport
	if !opts.noMemory {
		start := time.Now()
		m, err := runMemory(ctx, bin, tmp, pin, opts.quick)
		if err != nil {
			return err
		}
		logf("memory report done in %s", time.Since(start).Round(time.Second))
		fmt.Println()
		m.print(os.Stdout)
		mem = &m
	}

	meta := describeMachine(ctx, servers[0].version, pin, opts, args)
	md := filepath.Join(opts.out, "results.md")
	if err := writeFile(md, func(f *os.File) error { return writeMarkdown(f, meta, rep, mem) }); err != nil {
		return err
	}
	svg := filepath.Join(opts.out, "results.svg")
	if err := writeFile(svg, func(f *os.File) error { return writeBarChart(f, rep.chart()) }); err != nil {
		return err
	}
	logf("wrote %s and %s", md, svg)
	return nil
}

// memoryOnly runs the memory report alone and puts its section into DIR/results.md: in
// place of the one there, after the rest of the page when there is none, or on a new page.
func memoryOnly(ctx context.Context, bin, tmp string, pin pinning, opts options, args []string) error {
	start := time.Now()
	mem, err := runMemory(ctx, bin, tmp, pin, opts.quick)
	if err != nil {
		return err
	}
	logf("memory report done in %s", time.Since(start).Round(time.Second))
	mem.print(os.Stdout)

	meta := describeMachine(ctx, mem.redisVer, pin, opts, args)
	md := filepath.Join(opts.out, "results.md")
	page, err := os.ReadFile(md)
	run := &meta // the section names its run on a page made by another
	switch {
	case errors.Is(err, os.ErrNotExist):
		var b bytes.Buffer
		writeMachine(&b, meta)
		page, run = b.Bytes(), nil
	case err != nil:
		return err
	}
	page = replaceSection(page, memoryHeading, mem.markdown(run))
	if err := os.WriteFile(md, page, 0o644); err != nil {
		return err
	}
	logf("wrote %s", md)
	return nil
}

// runRounds runs every workload against every server opts.rounds times and returns the
// samples indexed [workload][server][round]. A failed run leaves its sample empty and is
// reported on standard error; a server that exits ends the benchmark.
func runRounds(ctx context.Context, servers []*server, ws []workload, opts options, pin pinning, ticks float64) ([][][]sample, error) {
	samples := make([][][]sample, len(ws))
	for i := range samples {
		samples[i] = make([][]sample, len(servers))
		for j := range samples[i] {
			samples[i][j] = make([]sample, opts.rounds)
		}
	}
	for round := range opts.rounds {
		order := serverOrder(len(servers), round)
		for wi, w := range ws {
			for _, si := range order {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				s := servers[si]
				smp, err := measure(ctx, s, w, pin, ticks)
				if !s.alive() {
					return nil, fmt.Errorf("%s exited during %s (log: %s)", s.name, w.name(), s.logTail())
				}
				if err != nil {
					if ctx.Err() != nil {
						return nil, ctx.Err()
					}
					logf("round %d/%d  %-16s %-8s FAILED: %v", round+1, opts.rounds, w.name(), s.name, err)
					continue
				}
				samples[wi][si][round] = smp
				logf("round %d/%d  %-16s %-8s %10.0f ops/s  cpu %5.1f%%", round+1, opts.rounds, w.name(), s.name, smp.res.RPS, smp.cpuPercent())
			}
		}
	}
	return samples, nil
}

// serverOrder returns the order in which the n servers run in round: 0 1 … n-1 in even
// rounds and n-1 … 1 0 in odd ones.
func serverOrder(n, round int) []int {
	order := make([]int, n)
	for i := range order {
		if round%2 == 0 {
			order[i] = i
		} else {
			order[i] = n - 1 - i
		}
	}
	return order
}

// moduleRoot returns the directory of the go.mod the command runs in.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside the kvrpcd module: run it as go run ./bench from the repository")
	}
	return filepath.Dir(gomod), nil
}

// writeFile creates path and fills it with write, reporting the first error.
func writeFile(path string, write func(*os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// logf prints a progress line on standard error.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}
