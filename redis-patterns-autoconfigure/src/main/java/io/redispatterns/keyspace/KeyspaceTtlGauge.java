package io.redispatterns.keyspace;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.RateLimitedLogger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Gauges of the keys under the library's prefix, refreshed periodically by a bounded analysis:
 * {@code redis.patterns.keyspace.keys.without.ttl} (keys that never expire: the library sets a TTL
 * on everything it writes, so these are leaks or all-time data kept on purpose) and
 * {@code redis.patterns.keyspace.keys} (keys seen), both {@code NaN} until the first refresh, and
 * {@code redis.patterns.keyspace.scan.complete} (1 when the last scan saw the whole prefix).
 */
public final class KeyspaceTtlGauge implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(KeyspaceTtlGauge.class);

	private final KeyspaceAnalyzer analyzer;

	private final Duration interval;

	private final AtomicReference<@Nullable KeyspaceReport> last = new AtomicReference<>();

	private final RateLimitedLogger failures = new RateLimitedLogger(logger, Duration.ofMinutes(5));

	private volatile @Nullable ScheduledExecutorService executor;

	/**
	 * Creates the gauges.
	 * @param analyzer the analyzer
	 * @param registry the registry
	 * @param interval time between refreshes
	 */
	public KeyspaceTtlGauge(KeyspaceAnalyzer analyzer, MeterRegistry registry, Duration interval) {
		this.analyzer = analyzer;
		this.interval = interval;
		Gauge.builder("redis.patterns.keyspace.keys.without.ttl", this, (gauge) -> gauge.value(false))
			.description("Keys under the library's prefix that never expire (bounded scan)")
			.register(registry);
		Gauge.builder("redis.patterns.keyspace.keys", this, (gauge) -> gauge.value(true))
			.description("Keys under the library's prefix seen by the last bounded scan")
			.register(registry);
		Gauge.builder("redis.patterns.keyspace.scan.complete", this, (gauge) -> {
			KeyspaceReport report = gauge.last.get();
			return (report == null) ? Double.NaN : (report.complete() ? 1 : 0);
		}).description("1 when the last scan of the library's prefix finished within its budget").register(registry);
	}

	/**
	 * Runs one bounded analysis of the library's keys now.
	 * @return the report
	 */
	public KeyspaceReport refresh() {
		KeyspaceReport report = this.analyzer.analyzeLibraryKeys();
		this.last.set(report);
		return report;
	}

	private double value(boolean all) {
		KeyspaceReport report = this.last.get();
		if (report == null) {
			return Double.NaN;
		}
		return report.groups().stream()
			.mapToLong((group) -> all ? group.keys() : group.withoutTtl())
			.sum();
	}

	@Override
	public void start() {
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "redis-patterns-keyspace-gauge");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.scheduleWithFixedDelay(() -> {
			try {
				refresh();
			}
			catch (RuntimeException ex) {
				this.failures.warn("Keyspace gauge refresh failed: " + ex.getMessage(), null);
			}
		}, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		this.executor = scheduler;
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = this.executor;
		if (scheduler != null) {
			scheduler.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

}
