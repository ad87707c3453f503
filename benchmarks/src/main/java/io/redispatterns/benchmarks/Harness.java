package io.redispatterns.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.redispatterns.test.CommandCalls;
import org.jspecify.annotations.Nullable;

/**
 * Plain-Java measurement loop: warm-up, a counting pass under {@code MONITOR}, then rounds of a
 * fixed duration with 1 and with 8 threads.
 */
final class Harness {

	static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup-seconds", 3));

	static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 3));

	static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

	static final int COUNT_OPS = Integer.getInteger("bench.count-ops", 1000);

	private Harness() {
	}

	/** One operation; returns whether it succeeded (allowed, acquired). */
	@FunctionalInterface
	interface Op {

		boolean run(long iteration) throws Exception;

	}

	/** Makes the operation of one thread (its own key, its own lock object). */
	@FunctionalInterface
	interface OpFactory {

		Op forThread(int thread);

	}

	/** A contender: a name, the row it is compared with, and the operation. */
	record Case(String name, String baseline, OpFactory ops) {
	}

	record Throughput(double opsPerSecond, long ops, long successes, long errors, @Nullable Throwable firstError) {

		double successRate() {
			return (this.ops == 0) ? 0 : (double) this.successes / this.ops;
		}

	}

	record Result(Case contender, Throughput one, Throughput eight, double roundTrips, double commands,
			Map<String, Long> perCommand, List<Throughput> oneRounds, List<Throughput> eightRounds) {
	}

	/**
	 * Measures every contender: each is warmed up and counted under {@code MONITOR}, then the timed
	 * runs go round-robin over the contenders, {@link #ROUNDS} times for 1 thread and for 8 threads,
	 * so that a noisy moment of the machine hits every contender alike; the median round is kept.
	 */
	static List<Result> measureAll(List<Case> contenders, CommandCounter counter) {
		List<double[]> counts = new ArrayList<>();
		List<Map<String, Long>> perCommands = new ArrayList<>();
		for (Case contender : contenders) {
			System.out.printf("  %-40s warm-up and count%n", contender.name());
			run(contender, 8, WARM_UP, 0);
			run(contender, 1, WARM_UP.dividedBy(2), 1000);
			CommandCalls before = counter.commandStats();
			long client;
			try (CommandCounter.MonitorSession monitor = counter.monitor()) {
				runCount(contender, COUNT_OPS);
				client = monitor.clientCommands();
			}
			CommandCalls perCommand = counter.commandStats().since(before);
			perCommands.add(perCommand.asMap());
			counts.add(new double[] { (double) client / COUNT_OPS, (double) perCommand.total() / COUNT_OPS });
		}
		List<List<Throughput>> ones = new ArrayList<>();
		List<List<Throughput>> eights = new ArrayList<>();
		for (int i = 0; i < contenders.size(); i++) {
			ones.add(new ArrayList<>());
			eights.add(new ArrayList<>());
		}
		for (int round = 0; round < ROUNDS; round++) {
			for (int threads : new int[] { 1, 8 }) {
				for (int i = 0; i < contenders.size(); i++) {
					Throughput throughput = run(contenders.get(i), threads, MEASURE, 2000 + 100 * round + 10 * threads);
					(threads == 1 ? ones : eights).get(i).add(throughput);
					System.out.printf(Locale.ROOT, "  round %d, %d thread(s): %-40s %,10.0f ops/s%n", round + 1, threads,
							contenders.get(i).name(), throughput.opsPerSecond());
					report(throughput);
				}
			}
		}
		List<Result> results = new ArrayList<>();
		for (int i = 0; i < contenders.size(); i++) {
			results.add(new Result(contenders.get(i), median(ones.get(i)), median(eights.get(i)), counts.get(i)[0],
					counts.get(i)[1], perCommands.get(i), ones.get(i), eights.get(i)));
		}
		return results;
	}

	private static Throughput median(List<Throughput> rounds) {
		List<Throughput> sorted = new ArrayList<>(rounds);
		sorted.sort(Comparator.comparingDouble(Throughput::opsPerSecond));
		return sorted.get(sorted.size() / 2);
	}

	private static void report(Throughput throughput) {
		if (throughput.errors() > 0) {
			System.out.println("    " + throughput.errors() + " errors, first: " + throughput.firstError());
		}
	}

	private static void runCount(Case contender, int ops) {
		Op op = contender.ops().forThread(900);
		for (long i = 0; i < ops; i++) {
			try {
				op.run(i);
			}
			catch (Exception ex) {
				throw new IllegalStateException(contender.name() + " failed while counting commands", ex);
			}
		}
	}

	/**
	 * Runs the operation on {@code threads} threads until {@code duration} has passed.
	 * @param threadBase added to the thread index when asking for each thread's operation, so phases
	 * can use separate keys
	 */
	static Throughput run(Case contender, int threads, Duration duration, int threadBase) {
		AtomicLong ops = new AtomicLong();
		AtomicLong successes = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		AtomicReference<@Nullable Throwable> firstError = new AtomicReference<>();
		CountDownLatch ready = new CountDownLatch(threads);
		CountDownLatch go = new CountDownLatch(1);
		List<Thread> workers = new ArrayList<>();
		long[] window = new long[2];
		for (int t = 0; t < threads; t++) {
			Op op = contender.ops().forThread(threadBase + t);
			Thread worker = new Thread(() -> {
				ready.countDown();
				try {
					go.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				long deadline = window[1];
				long done = 0;
				long ok = 0;
				for (long i = 0; System.nanoTime() < deadline; i++) {
					try {
						if (op.run(i)) {
							ok++;
						}
					}
					catch (Exception ex) {
						errors.incrementAndGet();
						firstError.compareAndSet(null, ex);
					}
					done++;
				}
				ops.addAndGet(done);
				successes.addAndGet(ok);
			}, "bench-" + t);
			workers.add(worker);
			worker.start();
		}
		try {
			ready.await();
			window[0] = System.nanoTime();
			window[1] = window[0] + duration.toNanos();
			go.countDown();
			for (Thread worker : workers) {
				worker.join();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		double seconds = (System.nanoTime() - window[0]) / 1e9;
		return new Throughput(ops.get() / seconds, ops.get(), successes.get(), errors.get(), firstError.get());
	}

	/** A Markdown table of the results, with ratios against each row's redis-patterns baseline. */
	static String table(String title, List<Result> results) {
		StringBuilder out = new StringBuilder();
		out.append("\n### ").append(title).append("\n\n");
		out.append("| contender | ops/s, 1 thread | ratio | ops/s, 8 threads | ratio | round trips/op | commands/op "
				+ "| succeeded (1 / 8 threads) | commands per op (INFO commandstats) | rounds, 1 thread / 8 threads |\n");
		out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |\n");
		for (Result result : results) {
			Result base = results.stream().filter((r) -> r.contender().name().equals(result.contender().baseline()))
				.findFirst().orElse(result);
			out.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %,.0f | %.2f | %.2f | %.2f | %.0f%% / %.0f%% | %s | %s / %s |%n",
					result.contender().name(), result.one().opsPerSecond(),
					result.one().opsPerSecond() / base.one().opsPerSecond(), result.eight().opsPerSecond(),
					result.eight().opsPerSecond() / base.eight().opsPerSecond(), result.roundTrips(), result.commands(),
					100 * result.one().successRate(), 100 * result.eight().successRate(),
					perOp(result.perCommand()), rounds(result.oneRounds()), rounds(result.eightRounds())));
		}
		out.append("\nops/s: median of the rounds. ratio = ops/s ÷ ops/s of the redis-patterns row it is compared with (")
			.append(String.join("; ", results.stream().filter((r) -> !r.contender().baseline().equals(r.contender().name()))
				.map((r) -> r.contender().name() + " vs " + r.contender().baseline()).toList()))
			.append("); above 1 = faster than redis-patterns.\n");
		return out.toString();
	}

	/** A contender measured against a raw ceiling: windows of the ceiling taken right before its own. */
	record CeilingResult(Case contender, double oneRatio, double eightRatio, double oneOps, double eightOps,
			double roundTrips, double commands, Map<String, Long> perCommand, List<Double> oneRoundRatios,
			List<Double> eightRoundRatios, long errors) {
	}

	/**
	 * Measures contenders against a ceiling (the raw commands the operation cannot beat): in every
	 * round, for 1 and 8 threads, each contender's window is preceded by a window of the ceiling,
	 * so that machine noise hits both alike. The ratio is the median of the contender's windows
	 * divided by the median of the ceiling windows taken before them (a ratio of medians).
	 */
	static List<CeilingResult> measureAgainstCeiling(Case ceiling, List<Case> contenders, CommandCounter counter) {
		List<Case> all = new ArrayList<>();
		all.add(ceiling);
		all.addAll(contenders);
		List<double[]> counts = new ArrayList<>();
		List<Map<String, Long>> perCommands = new ArrayList<>();
		for (Case contender : all) {
			System.out.printf("  %-50s warm-up and count%n", contender.name());
			run(contender, 8, WARM_UP, 0);
			run(contender, 1, WARM_UP.dividedBy(2), 1000);
			CommandCalls before = counter.commandStats();
			long client;
			try (CommandCounter.MonitorSession monitor = counter.monitor()) {
				runCount(contender, COUNT_OPS);
				client = monitor.clientCommands();
			}
			CommandCalls perCommand = counter.commandStats().since(before);
			perCommands.add(perCommand.asMap());
			counts.add(new double[] { (double) client / COUNT_OPS, (double) perCommand.total() / COUNT_OPS });
		}
		int n = all.size();
		List<List<Double>> ceilingOps = new ArrayList<>();
		List<List<Double>> ops = new ArrayList<>();
		List<List<Double>> ratios = new ArrayList<>();
		long[] errors = new long[n];
		for (int i = 0; i < 4 * n; i++) {
			ceilingOps.add(new ArrayList<>());
			ops.add(new ArrayList<>());
			ratios.add(new ArrayList<>());
		}
		for (int round = 0; round < ROUNDS; round++) {
			for (int threads : new int[] { 1, 8 }) {
				for (int i = 0; i < n; i++) {
					int slot = 2 * i + ((threads == 1) ? 0 : 1);
					int base = 2000 + 100 * round + 10 * threads;
					Throughput raw = run(ceiling, threads, MEASURE, base + 5000);
					Throughput measured = (i == 0) ? raw : run(all.get(i), threads, MEASURE, base);
					errors[i] += measured.errors();
					report(measured);
					ceilingOps.get(slot).add(raw.opsPerSecond());
					ops.get(slot).add(measured.opsPerSecond());
					ratios.get(slot).add(measured.opsPerSecond() / raw.opsPerSecond());
					System.out.printf(Locale.ROOT, "  round %d, %d thread(s): %-50s %,10.0f ops/s, ceiling %,10.0f%n",
							round + 1, threads, all.get(i).name(), measured.opsPerSecond(), raw.opsPerSecond());
				}
			}
		}
		List<CeilingResult> results = new ArrayList<>();
		for (int i = 1; i < n; i++) {
			results.add(new CeilingResult(all.get(i), medianOf(ops.get(2 * i)) / medianOf(ceilingOps.get(2 * i)),
					medianOf(ops.get(2 * i + 1)) / medianOf(ceilingOps.get(2 * i + 1)), medianOf(ops.get(2 * i)),
					medianOf(ops.get(2 * i + 1)), counts.get(i)[0], counts.get(i)[1], perCommands.get(i),
					ratios.get(2 * i), ratios.get(2 * i + 1), errors[i]));
		}
		results.add(0, new CeilingResult(ceiling, 1, 1, medianOf(ops.get(0)), medianOf(ops.get(1)), counts.get(0)[0],
				counts.get(0)[1], perCommands.get(0), ratios.get(0), ratios.get(1), errors[0]));
		return results;
	}

	private static double medianOf(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		sorted.sort(Comparator.naturalOrder());
		return sorted.get(sorted.size() / 2);
	}

	/** A Markdown table of results against a ceiling (the first row is the ceiling itself). */
	static String ceilingTable(String title, List<CeilingResult> results) {
		StringBuilder out = new StringBuilder();
		out.append("\n### ").append(title).append("\n\n");
		out.append("| contender | ratio to ceiling, 1 thread | ratio to ceiling, 8 threads | ops/s, 1 / 8 threads "
				+ "| round trips/op | commands/op | commands per op (INFO commandstats) | errors "
				+ "| per-round ratios, 1 thread / 8 threads |\n");
		out.append("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |\n");
		for (CeilingResult result : results) {
			out.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %,.0f / %,.0f | %.2f | %.2f | %s | %d | %s / %s |%n",
					result.contender().name(), result.oneRatio(), result.eightRatio(), result.oneOps(),
					result.eightOps(), result.roundTrips(), result.commands(), perOp(result.perCommand()),
					result.errors(), ratios(result.oneRoundRatios()), ratios(result.eightRoundRatios())));
		}
		out.append("\nratio = median ops/s of the contender's windows ÷ median ops/s of the ceiling windows, each ceiling"
				+ " window taken right before the contender's window with the same thread count (first row: the ceiling"
				+ " itself). ")
			.append(ROUNDS).append(" rounds of ").append(MEASURE.toSeconds()).append(" s.\n");
		return out.toString();
	}

	private static String ratios(List<Double> ratios) {
		return String.join(" ", ratios.stream().map((r) -> String.format(Locale.ROOT, "%.2f", r)).toList());
	}

	private static String rounds(List<Throughput> rounds) {
		return String.join(" ", rounds.stream().map((t) -> String.format(Locale.ROOT, "%.1fk", t.opsPerSecond() / 1000)).toList());
	}

	private static String perOp(Map<String, Long> perCommand) {
		List<String> parts = new ArrayList<>();
		perCommand.forEach((name, calls) -> parts.add(String.format(Locale.ROOT, "%s %.2f", name, (double) calls / COUNT_OPS)));
		return String.join(", ", parts);
	}

}
