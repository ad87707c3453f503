package io.redispatterns.console.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import io.redispatterns.console.ConsoleMetrics;

import org.springframework.beans.factory.DisposableBean;

/**
 * {@link ConsoleMetrics} from a Micrometer registry. A daemon thread samples the watched counters
 * every {@code interval} and keeps the samples of the last {@code window}; a recent count is the
 * current value minus the oldest kept sample.
 */
public final class MicrometerConsoleMetrics implements ConsoleMetrics, DisposableBean {

	/** The meters whose recent counts the console shows. */
	public static final Set<String> WATCHED = Set.of("redis.patterns.queue.jobs", "redis.patterns.ratelimit.decisions",
			"cache.gets", "redis.patterns.cache.loads", "redis.patterns.cache.lock.waits");

	private final MeterRegistry registry;

	private final Clock clock;

	private final Duration window;

	private final Deque<Sample> samples = new ArrayDeque<>();

	private final Instant started;

	private final ScheduledExecutorService sampler;

	/**
	 * Creates the metrics and starts sampling.
	 * @param registry the registry
	 * @param clock the clock
	 * @param window the recent window, such as 5 minutes
	 * @param interval the sampling interval
	 */
	public MicrometerConsoleMetrics(MeterRegistry registry, Clock clock, Duration window, Duration interval) {
		this.registry = registry;
		this.clock = clock;
		this.window = window;
		this.started = clock.instant();
		this.sampler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "redis-patterns-console-metrics");
			thread.setDaemon(true);
			return thread;
		});
		sample();
		this.sampler.scheduleAtFixedRate(this::sample, interval.toMillis(), interval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	/** Records the current values of the watched meters. */
	void sample() {
		Map<String, Double> values = new HashMap<>();
		for (String name : WATCHED) {
			for (Meter meter : this.registry.find(name).meters()) {
				values.put(identity(meter), count(meter));
			}
		}
		Instant now = this.clock.instant();
		synchronized (this.samples) {
			this.samples.addLast(new Sample(now, values));
			while (this.samples.size() > 1 && this.samples.peekFirst().at().isBefore(now.minus(this.window))) {
				this.samples.removeFirst();
			}
		}
	}

	@Override
	public Map<List<String>, Counts> counts(String meterName, String... groupBy) {
		Sample oldest;
		synchronized (this.samples) {
			oldest = this.samples.peekFirst();
		}
		Map<List<String>, long[]> sums = new LinkedHashMap<>();
		for (Meter meter : this.registry.find(meterName).meters()) {
			List<String> key = new ArrayList<>();
			for (String tag : groupBy) {
				String value = meter.getId().getTag(tag);
				key.add((value != null) ? value : "");
			}
			double now = count(meter);
			// a meter registered after the oldest sample started from zero within the window
			double before = (oldest != null) ? oldest.values().getOrDefault(identity(meter), 0.0) : 0.0;
			long[] sum = sums.computeIfAbsent(key, (k) -> new long[2]);
			sum[0] += (long) now;
			sum[1] += (long) Math.max(0, now - before);
		}
		Map<List<String>, Counts> counts = new LinkedHashMap<>();
		sums.forEach((key, sum) -> counts.put(key, new Counts(sum[0], sum[1])));
		return counts;
	}

	@Override
	public Duration window() {
		Duration sinceStart = Duration.between(this.started, this.clock.instant());
		return (sinceStart.compareTo(this.window) < 0) ? sinceStart : this.window;
	}

	@Override
	public void destroy() {
		this.sampler.shutdownNow();
	}

	private static String identity(Meter meter) {
		return meter.getId().getName() + meter.getId().getTags();
	}

	private static double count(Meter meter) {
		for (Measurement measurement : meter.measure()) {
			if (measurement.getStatistic() == Statistic.COUNT) {
				return measurement.getValue();
			}
		}
		return 0;
	}

	private record Sample(Instant at, Map<String, Double> values) {

	}

}
