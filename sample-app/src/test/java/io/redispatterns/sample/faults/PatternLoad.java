package io.redispatterns.sample.faults;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.lock.LockNotAcquiredException;
import io.redispatterns.lock.LockOptions;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.lock.LockUnavailableException;
import io.redispatterns.pubsub.PubSubPublisher;
import io.redispatterns.queue.JobOptions;
import io.redispatterns.queue.JobQueues;
import io.redispatterns.stream.StreamPublisher;
import jakarta.servlet.http.Cookie;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

/**
 * Keeps every pattern of the sample busy from its own thread while a scenario breaks Redis, and records
 * what each operation saw: {@link Outcome#OK} (Redis answered), {@link Outcome#DEGRADED} (answered
 * without Redis, as a fail-open pattern should), {@link Outcome#REDIS_FAULT} (failed with a Redis fault:
 * an exception the library classifies as unavailable or outcome unknown, or an HTTP 503) or a
 * {@link #violations() violation} (anything else: an arbitrary 500, a business error, two lock holders).
 * <p>
 * Workers are paced (one operation per {@value #PACE_MILLIS} ms at most) so that six of them leave CPU
 * for Redis, Sentinel and the application on a small machine.
 */
final class PatternLoad implements AutoCloseable {

	static final long PACE_MILLIS = 20;

	/** The patterns under load. */
	enum Pattern {

		CACHE, RATE_LIMIT, LOCK, STREAM, SESSION, PUBSUB, QUEUE

	}

	/** What one operation saw. */
	enum Outcome {

		OK, DEGRADED, REDIS_FAULT

	}

	/** One operation, when it started ({@link System#nanoTime()}) and how long it took (0 when not timed). */
	record Event(long nanos, Outcome outcome, String detail, long tookNanos) {

		Event(long nanos, Outcome outcome, String detail) {
			this(nanos, outcome, detail, 0);
		}

	}

	/** One write of the lock-guarded counter that was acknowledged (and replicated when asked to). */
	record FencedWrite(long value, long token) {
	}

	/** One stream publish that returned an entry id. */
	record Published(String id, long nanos) {
	}

	/** What the scenario wants from the load. */
	record Settings(int lockReplicas, boolean sessionsMayBeLost, int rateLimitClients) {
	}

	private static final String LOCK_NAME = "fault-counter";

	private static final LockOptions LOCK_OPTIONS = LockOptions.defaults()
		.withWait(Duration.ofSeconds(5))
		.withLease(Duration.ofSeconds(10));

	// @formatter:off (the script is indented with spaces)
	/**
	 * Fenced increment: rejects a token not greater than the last accepted one, else adds one. Returns
	 * {1, value} or {-1, value, last token}.
	 */
	private static final RedisScript<List> FENCED_INCREMENT = new DefaultRedisScript<>("""
			local last = tonumber(redis.call('HGET', KEYS[1], 'token') or '0')
			local value = tonumber(redis.call('HGET', KEYS[1], 'value') or '0')
			if tonumber(ARGV[1]) <= last then
			  return {-1, value, last}
			end
			value = value + 1
			redis.call('HSET', KEYS[1], 'value', value, 'token', ARGV[1])
			redis.call('PEXPIRE', KEYS[1], 3600000)
			return {1, value}
			""", List.class);
	// @formatter:on

	private final MockMvc mvc;

	private final MeterRegistry meters;

	private final LockTemplate locks;

	private final StringRedisTemplate redis;

	private final StreamPublisher streams;

	private final PubSubPublisher pubsub;

	private final JobQueues queues;

	private final FaultScenarioListeners listeners;

	private final Settings settings;

	private final String counterKey;

	private final Map<Pattern, Queue<Event>> events = new EnumMap<>(Pattern.class);

	private final Queue<String> violations = new ConcurrentLinkedQueue<>();

	private final Queue<FencedWrite> fencedWrites = new ConcurrentLinkedQueue<>();

	private final Queue<Published> published = new ConcurrentLinkedQueue<>();

	private final Queue<Published> enqueued = new ConcurrentLinkedQueue<>();

	private final AtomicInteger lockHolders = new AtomicInteger();

	private final AtomicLong unmappedSessionFaults = new AtomicLong();

	private final Queue<String> unmappedSessionFaultDetails = new ConcurrentLinkedQueue<>();

	private final List<Thread> workers = new ArrayList<>();

	private volatile boolean running = true;

	private volatile Cookie session;

	PatternLoad(MockMvc mvc, MeterRegistry meters, LockTemplate locks, StringRedisTemplate redis, RedisKeys keys,
			StreamPublisher streams, PubSubPublisher pubsub, JobQueues queues, FaultScenarioListeners listeners,
			Settings settings) {
		this.mvc = mvc;
		this.meters = meters;
		this.locks = locks;
		this.redis = redis;
		this.streams = streams;
		this.pubsub = pubsub;
		this.queues = queues;
		this.listeners = listeners;
		this.settings = settings;
		this.counterKey = keys.key("faults", "counter", "guarded");
		for (Pattern pattern : Pattern.values()) {
			this.events.put(pattern, new ConcurrentLinkedQueue<>());
		}
	}

	/** Logs in once, then starts one worker per pattern (two for the lock, so that they compete). */
	PatternLoad start() throws Exception {
		this.session = login();
		startWorker(Pattern.CACHE, this::cache);
		startWorker(Pattern.RATE_LIMIT, this::rateLimit);
		startWorker(Pattern.LOCK, this::lock);
		startWorker(Pattern.LOCK, this::lock);
		startWorker(Pattern.STREAM, this::stream);
		startWorker(Pattern.SESSION, this::session);
		startWorker(Pattern.PUBSUB, this::publishProbe);
		startWorker(Pattern.QUEUE, this::enqueue);
		return this;
	}

	// ---- the operations ------------------------------------------------------------------------------

	/** Product reads (every tenth an update that evicts), served from Redis or — fail-open — the loader. */
	private Event cache(long n) throws Exception {
		long id = 1 + (n % 5);
		if (n % 10 == 9) {
			int status = this.mvc.perform(put("/api/products/{id}", id).contentType("application/json")
				.content("{\"name\":\"Product " + id + "\",\"price\":" + (id * 10) + ".99}")).andReturn().getResponse().getStatus();
			return (status == 200) ? event(Outcome.OK, "update") : violation(Pattern.CACHE, "update answered " + status);
		}
		double before = cacheGets("hit") + cacheGets("miss") + responsesFromCache();
		int status = this.mvc.perform(get("/api/products/{id}", id)).andReturn().getResponse().getStatus();
		if (status != 200) {
			return violation(Pattern.CACHE, "a fail-open read answered " + status);
		}
		// one worker reads, so the counters moved for this read only: hit or miss means Redis answered
		return (cacheGets("hit") + cacheGets("miss") + responsesFromCache() > before) ? event(Outcome.OK, "read")
				: event(Outcome.DEGRADED, "read without Redis");
	}

	/** A few fixed clients, so that decisions are also refusals (429) once their quota is used. */
	private Event rateLimit(long n) throws Exception {
		String address = "198.51.100." + (1 + n % this.settings.rateLimitClients());
		MockHttpServletResponse response = this.mvc.perform(get("/api/quotes").with((request) -> {
			request.setRemoteAddr(address);
			return request;
		})).andReturn().getResponse();
		int status = response.getStatus();
		boolean decidedByRedis = response.getHeader("X-RateLimit-Remaining") != null;
		if (status == 200 || status == 429) {
			return decidedByRedis ? event(Outcome.OK, "decided " + status)
					: event(Outcome.DEGRADED, "allowed unchecked (fail-open)");
		}
		return (status == 503) ? event(Outcome.REDIS_FAULT, "503") : violation(Pattern.RATE_LIMIT, "answered " + status);
	}

	/**
	 * Holds the lock while it increments a fenced counter; with {@code lockReplicas > 0} the write is only
	 * counted as acknowledged once that many replicas have it ({@code WAIT}).
	 */
	private Event lock(long n) {
		try {
			return this.locks.executeWithLock(LOCK_NAME, LOCK_OPTIONS, (lease) -> {
				if (this.lockHolders.incrementAndGet() != 1) {
					violation(Pattern.LOCK, "two holders at once");
				}
				try {
					List<?> result = this.redis.execute(FENCED_INCREMENT, List.of(this.counterKey),
							Long.toString(lease.fencingToken()));
					if (((Number) result.get(0)).longValue() != 1) {
						return violation(Pattern.LOCK, "the store rejected token " + lease.fencingToken() + " after " + result);
					}
					long value = ((Number) result.get(1)).longValue();
					if (this.settings.lockReplicas() > 0 && waitForReplicas() < this.settings.lockReplicas()) {
						return event(Outcome.REDIS_FAULT, "write not replicated");
					}
					this.fencedWrites.add(new FencedWrite(value, lease.fencingToken()));
					return event(Outcome.OK, "value " + value);
				}
				finally {
					this.lockHolders.decrementAndGet();
				}
			});
		}
		catch (LockNotAcquiredException ex) {
			return event(Outcome.REDIS_FAULT, "not acquired within the wait: " + ex.getMessage());
		}
		catch (LockUnavailableException ex) {
			// the lock pattern's fail-closed answer: Redis unreachable, or the acquisition not replicated
			return event(Outcome.REDIS_FAULT, "LockUnavailableException: " + ex.getMessage());
		}
	}

	/** {@code WAIT} on the shared connection, the one the fenced write went through. */
	private long waitForReplicas() {
		Long acknowledged = this.redis.execute((RedisCallback<Long>) (connection) -> {
			BaseRedisAsyncCommands<?, ?> commands = (BaseRedisAsyncCommands<?, ?>) connection.getNativeConnection();
			try {
				return commands.waitForReplication(this.settings.lockReplicas(), 500).get(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			catch (ExecutionException | TimeoutException ex) {
				throw new QueryTimeoutException("WAIT failed", ex);
			}
		});
		return (acknowledged != null) ? acknowledged : 0;
	}

	private Event stream(long n) {
		String id = UUID.randomUUID().toString();
		this.streams.publish(FaultScenarioListeners.STREAM, new FaultScenarioListeners.Event(id));
		this.published.add(new Published(id, System.nanoTime()));
		return event(Outcome.OK, "published");
	}

	private Event enqueue(long n) {
		String id = UUID.randomUUID().toString();
		// the job id is the payload's id, so a scenario can look the job up
		this.queues.enqueue(FaultScenarioListeners.QUEUE, new FaultScenarioListeners.Event(id),
				JobOptions.defaults().withJobId(id));
		this.enqueued.add(new Published(id, System.nanoTime()));
		return event(Outcome.OK, "enqueued");
	}

	/** A logged-in client; when sessions may be lost (Redis restarted empty) it logs in again after a 401. */
	private Event session(long n) throws Exception {
		Cookie cookie = this.session;
		if (cookie == null) {
			this.session = login();
			return event(Outcome.OK, "logged in again");
		}
		MockHttpServletResponse response = this.mvc.perform(get("/api/me/sessions").cookie(cookie)).andReturn().getResponse();
		int status = response.getStatus();
		if (status == 200) {
			return event(Outcome.OK, "200");
		}
		if (status == 503 || status == 504) {
			// a Redis fault answered as unavailable / outcome unknown: a problem body, never an error page
			String type = response.getContentType();
			return (type != null && type.startsWith("application/problem+json")) ? event(Outcome.REDIS_FAULT, Integer.toString(status))
					: violation(Pattern.SESSION, status + " without a problem body (" + type + ")");
		}
		if (status == 401 && this.settings.sessionsMayBeLost()) {
			this.session = null;
			return event(Outcome.OK, "session gone with the data: 401");
		}
		return violation(Pattern.SESSION, "a logged-in session answered " + status);
	}

	private Event publishProbe(long n) {
		this.pubsub.publish(FaultScenarioListeners.CHANNEL, new FaultScenarioListeners.Probe(System.nanoTime()));
		// success is recorded when the probe arrives (see events(PUBSUB))
		return event(Outcome.DEGRADED, "published");
	}

	private Cookie login() throws Exception {
		MockHttpServletResponse response = this.mvc
			.perform(post("/login").param("username", "alice").param("password", "alice-password").with(csrf()))
			.andReturn()
			.getResponse();
		Cookie cookie = response.getCookie("SESSION");
		if (response.getStatus() != 302 || cookie == null) {
			throw new IllegalStateException("Login answered " + response.getStatus());
		}
		return cookie;
	}

	/** Product reads the HTTP response cache answered from Redis (the data cache is then not asked). */
	private double responsesFromCache() {
		return this.meters.find("redis.patterns.response.cache.requests").tag("route", "/api/products/{id}")
			.counters().stream()
			.filter((counter) -> !"bypassed".equals(counter.getId().getTag("result"))
					&& !"miss".equals(counter.getId().getTag("result")))
			.mapToDouble(Counter::count)
			.sum();
	}

	private double cacheGets(String result) {
		Counter counter = this.meters.find("cache.gets").tag("cache", "products").tag("result", result).counter();
		return (counter != null) ? counter.count() : 0;
	}

	// ---- recording -----------------------------------------------------------------------------------

	@FunctionalInterface
	private interface Operation {

		Event run(long n) throws Exception;

	}

	private void startWorker(Pattern pattern, Operation operation) {
		Thread worker = new Thread(() -> {
			long n = 0;
			while (this.running) {
				long started = System.nanoTime();
				Event event;
				try {
					event = operation.run(n++);
				}
				catch (Throwable ex) {
					event = failure(pattern, ex);
				}
				if (event != null) {
					// timed by when the operation started: an operation that began after a fault and succeeded
					// shows that the pattern recovered
					this.events.get(pattern)
						.add(new Event(started, event.outcome(), event.detail(), System.nanoTime() - started));
				}
				long left = PACE_MILLIS * 1_000_000 - (System.nanoTime() - started);
				if (left > 0) {
					LockSupport.parkNanos(left);
				}
			}
		}, "fault-load-" + pattern.name().toLowerCase());
		worker.setDaemon(true);
		this.workers.add(worker);
		worker.start();
	}

	private Event failure(Pattern pattern, Throwable ex) {
		if (RedisFailures.isRedisFault(ex)) {
			if (pattern == Pattern.SESSION) {
				// the library's filter answers a Redis fault with 503/504 unless the response was already committed,
				// so one that reaches MockMvc came after the client had its answer (Spring Session's commit)
				if (this.unmappedSessionFaults.incrementAndGet() == 1) {
					StringWriter trace = new StringWriter();
					ex.printStackTrace(new PrintWriter(trace));
					this.unmappedSessionFaultDetails.add(trace.toString());
				}
			}
			return event(Outcome.REDIS_FAULT, ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
		if (this.violations.isEmpty()) {
			// the first one with its stack trace, to diagnose it from the test output
			new AssertionError(pattern + ": not a Redis fault", ex).printStackTrace();
		}
		return violation(pattern, "not a Redis fault: " + ex);
	}

	private static Event event(Outcome outcome, String detail) {
		return new Event(System.nanoTime(), outcome, detail);
	}

	private Event violation(Pattern pattern, String what) {
		this.violations.add(pattern + ": " + what);
		return new Event(System.nanoTime(), Outcome.REDIS_FAULT, "VIOLATION " + what);
	}

	// ---- what the scenario reads ---------------------------------------------------------------------

	/** Events of a pattern; for pub/sub, a received probe is an OK sent at its send time, done when received. */
	List<Event> events(Pattern pattern) {
		List<Event> list = new ArrayList<>(this.events.get(pattern));
		if (pattern == Pattern.PUBSUB) {
			this.listeners.received.forEach((probe) -> list
				.add(new Event(probe.sentNanos(), Outcome.OK, "received", probe.receivedNanos() - probe.sentNanos())));
		}
		return list;
	}

	/** Whether every pattern had at least {@code count} OK operations that started at or after {@code sinceNanos}. */
	boolean everyPatternSucceededSince(long sinceNanos, int count) {
		for (Pattern pattern : Pattern.values()) {
			if (countSince(pattern, sinceNanos, (event) -> event.outcome() == Outcome.OK) < count) {
				return false;
			}
		}
		return true;
	}

	/** Whether every pattern ran at least {@code count} operations (of any outcome) since {@code sinceNanos}. */
	boolean everyPatternRanSince(long sinceNanos, int count) {
		for (Pattern pattern : Pattern.values()) {
			if (pattern != Pattern.PUBSUB && countSince(pattern, sinceNanos, (event) -> true) < count) {
				return false;
			}
		}
		return true;
	}

	long countSince(Pattern pattern, long sinceNanos, Predicate<Event> filter) {
		return events(pattern).stream().filter((event) -> event.nanos() >= sinceNanos && filter.test(event)).count();
	}

	/** Things that must never happen, with the pattern they happened to. */
	List<String> violations() {
		return List.copyOf(this.violations);
	}

	/** Lock-guarded writes acknowledged (and replicated when asked to), in the order they were made. */
	List<FencedWrite> fencedWrites() {
		return List.copyOf(this.fencedWrites);
	}

	/** The value of the lock-guarded counter now. */
	long counterValue() {
		Object value = this.redis.opsForHash().get(this.counterKey, "value");
		return (value != null) ? Long.parseLong(value.toString()) : 0;
	}

	/** Stream publishes that returned an entry id. */
	List<Published> published() {
		return List.copyOf(this.published);
	}

	/** Jobs whose enqueue returned a job id. */
	List<Published> enqueued() {
		return List.copyOf(this.enqueued);
	}

	/** Session requests whose Redis fault came after the response was committed (thrown out of the filter chain). */
	long unmappedSessionFaults() {
		return this.unmappedSessionFaults.get();
	}

	/**
	 * Per pattern, what the operations started after {@code faultNanos} saw, when the pattern worked again
	 * (the first successful operation started after the fault completed) and when the last operation that
	 * failed started.
	 */
	String recoveryReport(String title, long faultNanos) {
		StringBuilder report = new StringBuilder("[faults] ").append(title).append('\n');
		report.append(String.format("  %-10s %8s %8s %8s %15s %15s %13s%n", "pattern", "ok", "degraded", "faults",
				"recovered (ms)", "last fault (ms)", "slowest (ms)"));
		for (Pattern pattern : Pattern.values()) {
			List<Event> after = events(pattern).stream().filter((event) -> event.nanos() >= faultNanos).toList();
			long ok = after.stream().filter((event) -> event.outcome() == Outcome.OK).count();
			long degraded = after.stream().filter((event) -> event.outcome() == Outcome.DEGRADED).count();
			long faults = after.stream().filter((event) -> event.outcome() == Outcome.REDIS_FAULT).count();
			long recovered = after.stream().filter((event) -> event.outcome() == Outcome.OK)
				.mapToLong((event) -> event.nanos() + event.tookNanos()).min().orElse(-1);
			long lastFault = after.stream().filter((event) -> event.outcome() == Outcome.REDIS_FAULT)
				.mapToLong(Event::nanos).max().orElse(-1);
			long slowest = after.stream().mapToLong(Event::tookNanos).max().orElse(0);
			report.append(String.format("  %-10s %8d %8d %8d %15s %15s %13d%n", pattern, ok, degraded, faults,
					millisAfter(recovered, faultNanos), millisAfter(lastFault, faultNanos), slowest / 1_000_000));
			after.stream().filter((event) -> event.outcome() != Outcome.OK).map(Event::detail).distinct().limit(3)
				.forEach((detail) -> report.append("      e.g. ").append(abbreviate(detail)).append('\n'));
		}
		for (Thread worker : this.workers) {
			Pattern pattern = Pattern.valueOf(worker.getName().substring("fault-load-".length()).toUpperCase());
			long recent = System.nanoTime() - Duration.ofSeconds(5).toNanos();
			if (worker.isAlive() && pattern != Pattern.PUBSUB && countSince(pattern, recent, (event) -> true) == 0) {
				report.append("  ").append(worker.getName()).append(" ran nothing for 5 s; ").append(worker.getState()).append(" at\n");
				for (StackTraceElement frame : worker.getStackTrace()) {
					report.append("      ").append(frame).append('\n');
				}
			}
		}
		report.append("  session faults raised after the response was committed (the client had its answer): ")
			.append(unmappedSessionFaults())
			.append('\n');
		this.unmappedSessionFaultDetails.forEach((trace) -> report.append("      the first: ").append(trace));
		return report.toString();
	}

	private static String millisAfter(long nanos, long start) {
		return (nanos < 0) ? "never" : Long.toString((nanos - start) / 1_000_000);
	}

	private static String abbreviate(String text) {
		String line = text.replace('\n', ' ');
		return (line.length() > 160) ? line.substring(0, 160) + "…" : line;
	}

	@Override
	public void close() {
		this.running = false;
		for (Thread worker : this.workers) {
			try {
				worker.join(Duration.ofSeconds(30).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
