package io.redispatterns.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.lock.LockLease;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.ratelimit.RateLimitPolicy;
import io.redispatterns.ratelimit.RateLimiter;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.StandaloneRedis;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RLock;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Allocation per operation (run with JMH's {@code -prof gc}: {@code gc.alloc.rate.norm}, bytes per
 * operation, which counts every thread of the JVM, so the client's I/O threads too): a rate-limit
 * decision, an uncontended lock acquire + release and a cache hit of redis-patterns, each next to
 * Redisson's equivalent and the raw Spring Data Redis ceiling the ratio tables use. One thread,
 * one embedded {@code redis-server} per fork. Run as described in the module's README.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class AllocationBenchmarks {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static final RedisScript<Long> TRIVIAL = RedisScript.of("return 1", Long.class);

	private static final RedisScript<Long> COMPARE_AND_DELETE = RedisScript.of(
			"if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
			Long.class);

	private StandaloneRedis redis;

	private ConfigurableApplicationContext context;

	private RedissonClient redisson;

	private RateLimiter limiter;

	private LockTemplate locks;

	private CacheTemplate caches;

	private StringRedisTemplate template;

	private RRateLimiter redissonLimiter;

	private RLock redissonLock;

	private RBucket<String> redissonBucket;

	private final List<String> trivialKeys = List.of("jmh:trivial");

	private final List<String> lockKeys = List.of("jmh:raw-lock");

	private String cacheEntryKey;

	/** Starts Redis, the Spring context and Redisson; fills the cache entries read by the hit benchmarks. */
	@Setup(Level.Trial)
	public void start() {
		this.redis = EmbeddedRedis.startStandaloneServer(0);
		this.context = BenchmarkApplication.start(this.redis);
		this.limiter = this.context.getBean(RateLimiter.class);
		this.limiter.updatePolicy(RateLimitPolicy.gcra("jmh-gcra", 1_000_000_000L, Duration.ofSeconds(1)));
		this.locks = this.context.getBean(LockTemplate.class);
		this.caches = this.context.getBean(CacheTemplate.class);
		this.template = this.context.getBean(StringRedisTemplate.class);
		this.caches.put("jmh-cache", "hit", "a cached value of some forty characters..");
		this.cacheEntryKey = "jmh:raw-cache-entry";
		this.template.opsForValue().set(this.cacheEntryKey, "a cached value of some forty characters..");
		Config config = new Config();
		config.useSingleServer().setAddress(this.redis.node().uri());
		this.redisson = Redisson.create(config);
		this.redissonLimiter = this.redisson.getRateLimiter("jmh:redisson-limiter");
		this.redissonLimiter.trySetRate(RateType.OVERALL, 1_000_000_000L, Duration.ofSeconds(1));
		this.redissonLock = this.redisson.getLock("jmh:redisson-lock");
		this.redissonBucket = this.redisson.getBucket("jmh:redisson-cache", StringCodec.INSTANCE);
		this.redissonBucket.set("a cached value of some forty characters..");
	}

	/** Closes everything started by {@link #start()}. */
	@TearDown(Level.Trial)
	public void stop() {
		this.redisson.shutdown();
		this.context.close();
		this.redis.close();
	}

	/** Ceiling of the rate-limit rows: EVALSHA of a trivial script through StringRedisTemplate. */
	@Benchmark
	public Long rateLimitCeilingEvalsha() {
		return this.template.execute(TRIVIAL, this.trivialKeys);
	}

	/** One GCRA decision (one key, allowed). */
	@Benchmark
	public boolean rateLimitDecisionRedisPatterns() {
		return this.limiter.tryAcquire("jmh-gcra", "client").isAllowed();
	}

	/** Redisson's rate limiter, one permit. */
	@Benchmark
	public boolean rateLimitDecisionRedisson() {
		return this.redissonLimiter.tryAcquire();
	}

	/** Ceiling of the lock rows: SET NX PX with a random token, then a compare-and-delete script. */
	@Benchmark
	public Long lockCeilingSetNxAndCompareAndDelete() {
		String token = UUID.randomUUID().toString();
		this.template.opsForValue().setIfAbsent(this.lockKeys.get(0), token, LEASE);
		return this.template.execute(COMPARE_AND_DELETE, this.lockKeys, token);
	}

	/** Uncontended acquire + release of one lock name. */
	@Benchmark
	public boolean lockAcquireReleaseRedisPatterns() {
		LockLease lease = this.locks.tryAcquire("jmh-lock", LEASE).orElseThrow();
		return lease.release();
	}

	/** Redisson's {@code tryLock(0, lease)} + {@code unlock()}. */
	@Benchmark
	public boolean lockAcquireReleaseRedisson() throws InterruptedException {
		boolean locked = this.redissonLock.tryLock(0, LEASE.toMillis(), TimeUnit.MILLISECONDS);
		this.redissonLock.unlock();
		return locked;
	}

	/** Ceiling of the cache-hit row: a raw GET of a string value. */
	@Benchmark
	public String cacheHitCeilingGet() {
		return this.template.opsForValue().get(this.cacheEntryKey);
	}

	/** A cache hit of a small string value. */
	@Benchmark
	public String cacheHitRedisPatterns() {
		return this.caches.get("jmh-cache", "hit", String.class);
	}

	/** Redisson's {@code RBucket.get()} of the same value (string codec). */
	@Benchmark
	public String cacheHitRedisson() {
		return this.redissonBucket.get();
	}

}
