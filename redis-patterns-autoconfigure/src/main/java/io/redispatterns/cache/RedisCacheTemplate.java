package io.redispatterns.cache;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.core.RedisCircuitBreaker;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.RedisMode;
import io.redispatterns.core.RedisScripts;
import io.redispatterns.crypto.UndecryptableValueException;
import io.redispatterns.crypto.ValueEncryptor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.connection.ClusterSlotHashUtil;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The Redis implementation of {@link CacheTemplate}, also used by {@link CachedWithLock} and the
 * {@link RedisPatternsCacheManager}.
 * <p>
 * Keys: the entry {@code <prefix>:cache:<cache>:{<cache>:<key>}}, its loader lock
 * {@code <prefix>:cache:<cache>:{<cache>:<key>}:loader} (same hash tag, so the fenced write is one
 * script on Redis Cluster) and tag indexes {@code <prefix>:cache:<cache>:{<tag>}:tags} (sorted sets
 * of value keys scored by when their entries expire, pruned on every add; key parts escaped by
 * {@link RedisKeys}). Every key of a cache is in its own namespace, never in the lock
 * package's, whose lock names are chosen by users.
 * <p>
 * A hit is one {@code GET}. A miss is coalesced per key in this JVM; the local leader takes the
 * loader lock with the lock package's owner-token protocol (one {@code SET NX PX} attempt, lease
 * renewed every third of its length while loading, compare-and-delete release) and writes with a
 * script that stores the value only if the lock is still its own and publishes a wake-up to the
 * waiters of other instances; then it releases the lock. Waiters wake
 * on that message (or a bounded fallback poll) and read the value.
 */
public class RedisCacheTemplate implements CacheTemplate, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisCacheTemplate.class);

	static final String PATTERN = "cache";

	private static final String LOADER_SUFFIX = "loader";

	private static final int SCAN_BATCH = 500;

	static final long MAX_POLL_MILLIS = 200;

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final JsonMapper mapper;

	private volatile CacheValueEncryption encryption = CacheValueEncryption.NONE;

	private final CacheSettings defaults;

	private final Map<String, CacheSettings> configured;

	private final CacheMetrics metrics;

	private final RedisCircuitBreaker breaker;

	private final String channel;

	private final RedisScript<Long> fencedWrite = RedisScripts.load(RedisCacheTemplate.class, "fenced-write.lua",
			Long.class);

	private final LoaderLocks loaderLocks;

	private final CacheKeyConverter keyConverter;

	private final RedisScript<Long> tagAdd = RedisScripts.load(RedisCacheTemplate.class, "tag-add.lua", Long.class);

	private final Map<String, CompletableFuture<@Nullable Object>> inFlight = new ConcurrentHashMap<>();

	private final Map<String, CompletableFuture<Void>> wakeUps = new ConcurrentHashMap<>();

	private final Set<String> refreshing = ConcurrentHashMap.newKeySet();

	private final Map<String, CacheStatistics> statistics = new ConcurrentHashMap<>();

	private final Map<Type, JavaType> javaTypes = new ConcurrentHashMap<>();

	private final Set<Type> readableTypes = ConcurrentHashMap.newKeySet();

	private final Map<Type, String> unreadableTypes = new ConcurrentHashMap<>();

	private final ThreadPoolExecutor refreshExecutor;

	private final ScheduledExecutorService renewals;

	private final Object subscriptionMonitor = new Object();

	private volatile @Nullable RedisMessageListenerContainer subscription;

	private volatile boolean subscriptionStarted;

	private volatile @Nullable AsyncCacheOperations async;

	private final BulkCacheOperations bulk = new BulkCacheOperations(this);

	private boolean destroyed;

	private final RateLimitedLogger errorLog = new RateLimitedLogger(logger, Duration.ofSeconds(30));

	/**
	 * Creates a template.
	 * @param redis the template to run commands with
	 * @param keys the key builder
	 * @param mapper the JSON mapper (no default typing)
	 * @param defaults the settings of caches not listed in {@code configured}
	 * @param configured settings per cache name
	 * @param metrics where to report
	 * @param breaker the circuit breaker that skips Redis while it is known down
	 * @param refreshThreads threads for background refreshes
	 */
	public RedisCacheTemplate(StringRedisTemplate redis, RedisKeys keys, JsonMapper mapper, CacheSettings defaults,
			Map<String, CacheSettings> configured, CacheMetrics metrics, RedisCircuitBreaker breaker,
			int refreshThreads) {
		this(redis, keys, mapper, defaults, configured, metrics, breaker, refreshThreads, new CacheKeyConverter());
	}

	/**
	 * Creates a template.
	 * @param redis the template to run commands with
	 * @param keys the key builder
	 * @param mapper the JSON mapper (no default typing)
	 * @param defaults the settings of caches not listed in {@code configured}
	 * @param configured settings per cache name
	 * @param metrics where to report
	 * @param breaker the circuit breaker that skips Redis while it is known down
	 * @param refreshThreads threads for background refreshes
	 * @param keyConverter turns cache keys into the strings that identify entries
	 */
	public RedisCacheTemplate(StringRedisTemplate redis, RedisKeys keys, JsonMapper mapper, CacheSettings defaults,
			Map<String, CacheSettings> configured, CacheMetrics metrics, RedisCircuitBreaker breaker,
			int refreshThreads, CacheKeyConverter keyConverter) {
		this.keyConverter = keyConverter;
		this.loaderLocks = new LoaderLocks(redis);
		this.redis = redis;
		this.keys = keys;
		this.mapper = mapper;
		this.defaults = defaults;
		this.configured = Map.copyOf(configured);
		this.metrics = metrics;
		this.configured.keySet().forEach(metrics::register);
		this.breaker = breaker;
		this.channel = keys.namespace(PATTERN) + "written";
		AtomicInteger threadCount = new AtomicInteger();
		this.refreshExecutor = new ThreadPoolExecutor(Math.max(1, refreshThreads), Math.max(1, refreshThreads), 30,
				TimeUnit.SECONDS, new LinkedBlockingQueue<>(1000), (runnable) -> {
					Thread thread = new Thread(runnable, "redis-patterns-cache-refresh-" + threadCount.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.refreshExecutor.allowCoreThreadTimeOut(true);
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "redis-patterns-cache-lease-renewal");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setRemoveOnCancelPolicy(true);
		this.renewals = scheduler;
	}

	/**
	 * Encrypts the values of some caches (set once, while the application starts).
	 * @param encryption the encrypted caches and their encryptor
	 */
	public void setValueEncryption(CacheValueEncryption encryption) {
		this.encryption = encryption;
	}

	// ---------------------------------------------------------------- public API

	@Override
	public <T> @Nullable T get(String cache, Object key, Class<T> type) {
		return this.<T>lookup(cache, key, type).value();
	}

	@Override
	public <T> @Nullable T get(String cache, Object key, ParameterizedTypeReference<T> type) {
		return this.<T>lookup(cache, key, type.getType()).value();
	}

	@Override
	public <T> @Nullable T getOrLoad(String cache, Object key, Class<T> type, Callable<? extends @Nullable T> loader) {
		return getOrLoad(cache, key, (Type) type, List.of(), loader);
	}

	@Override
	public <T> @Nullable T getOrLoad(String cache, Object key, ParameterizedTypeReference<T> type,
			Callable<? extends @Nullable T> loader) {
		return getOrLoad(cache, key, type.getType(), List.of(), loader);
	}

	@Override
	public <T> @Nullable T getOrLoad(String cache, Object key, Type type, Collection<String> tags,
			Callable<? extends @Nullable T> loader) {
		try {
			return getOrLoad(cache, settings(cache), id(key), type, tags, loader::call,
					loader::call);
		}
		catch (LoaderFailedException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new CacheLoaderException("Loader of cache '" + cache + "' failed", cause);
		}
	}

	@Override
	public <K, T> Map<K, T> getAll(String cache, Collection<? extends K> keys, Class<T> type) {
		return this.bulk.getAll(cache, keys, type);
	}

	@Override
	public <K, T> Map<K, T> getAll(String cache, Collection<? extends K> keys, Class<T> type,
			java.util.function.Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		return getAll(cache, keys, (Type) type, loader);
	}

	@Override
	public <K, T> Map<K, T> getAll(String cache, Collection<? extends K> keys, ParameterizedTypeReference<T> type,
			java.util.function.Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		return getAll(cache, keys, type.getType(), loader);
	}

	private <K, T> Map<K, T> getAll(String cache, Collection<? extends K> keys, Type type,
			java.util.function.Function<? super Set<K>, ? extends Map<? extends K, ? extends @Nullable T>> loader) {
		try {
			return this.bulk.getAll(cache, keys, type, loader);
		}
		catch (LoaderFailedException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new CacheLoaderException("Loader of cache '" + cache + "' failed", cause);
		}
	}

	@Override
	public void putAll(String cache, Map<?, ?> values, @Nullable Duration ttl) {
		this.bulk.putAll(cache, values, ttl);
	}

	@Override
	public void put(String cache, Object key, @Nullable Object value, Collection<String> tags) {
		CacheSettings settings = settings(cache);
		EntryKeys k = entryKeys(cache, id(key));
		if (value == null && settings.cacheNulls() == null) {
			evictKeys(cache, List.of(k.value(), k.lock()));
			return;
		}
		Written written;
		try {
			written = encode(cache, k, settings, value, 0);
		}
		catch (EncodeFailedException ex) {
			logger.warn("Cannot encode a value of cache '" + cache + "' as JSON; not cached", ex.getCause());
			return;
		}
		if (!this.breaker.tryAcquire()) {
			redisFailed(cache, "write", null);
			return;
		}
		try {
			// tagged before the write, so an evictTags running meanwhile finds the key
			addTags(cache, k, tags, written.ttlMillis());
			this.redis.opsForValue().set(k.value(), written.entry(), Duration.ofMillis(written.ttlMillis()));
			this.breaker.recordSuccess();
			this.metrics.put(cache);
			// and again after it: an evictTags that removed the key from the set meanwhile must not leave
			// the new entry untagged
			addTags(cache, k, tags, written.ttlMillis());
		}
		catch (RuntimeException ex) {
			redisFailed(cache, "write", ex);
		}
	}

	@Override
	public void evict(String cache, Object key) {
		EntryKeys k = entryKeys(cache, id(key));
		evictKeys(cache, List.of(k.value(), k.lock()));
	}

	@Override
	public long evictTags(String cache, Collection<String> tags) {
		long removed = 0;
		for (String tag : tags) {
			if (!this.breaker.tryAcquire()) {
				redisFailed(cache, "evict", null);
				break;
			}
			String tagKey = tagKey(cache, tag);
			// members leave the set only after their entries are gone, so a failure loses none of them
			try (Cursor<ZSetOperations.TypedTuple<String>> members = this.redis.opsForZSet()
				.scan(tagKey, ScanOptions.scanOptions().count(SCAN_BATCH).build())) {
				List<String> batch = new ArrayList<>(SCAN_BATCH);
				while (members.hasNext()) {
					String member = members.next().getValue();
					if (member != null) {
						batch.add(member);
					}
					if (batch.size() >= SCAN_BATCH) {
						removed += unlinkTagged(tagKey, batch);
						batch.clear();
					}
				}
				if (!batch.isEmpty()) {
					removed += unlinkTagged(tagKey, batch);
				}
				this.breaker.recordSuccess();
			}
			catch (RuntimeException ex) {
				redisFailed(cache, "evict", ex);
			}
		}
		this.metrics.evictions(cache, removed);
		return removed;
	}

	/** Unlinks tagged entries with their loader locks, then removes them from the tag set. */
	private long unlinkTagged(String tagKey, List<String> members) {
		List<String> doomed = new ArrayList<>(members.size() * 2);
		for (String member : members) {
			doomed.add(member);
			String lock = lockKeyOf(member);
			if (lock != null) {
				doomed.add(lock);
			}
		}
		long removed = unlinkGrouped(doomed);
		this.redis.opsForZSet().remove(tagKey, members.toArray());
		return removed;
	}

	@Override
	public long evictPattern(String cache, String keyPattern) {
		StringBuilder glob = new StringBuilder(this.keys.namespace(PATTERN, cache)).append('{')
			.append(RedisKeys.escape(cache + ":"));
		StringBuilder literal = new StringBuilder();
		for (int i = 0; i < keyPattern.length(); i++) {
			char c = keyPattern.charAt(i);
			if (c == '*' || c == '?') {
				glob.append(RedisKeys.escape(literal.toString())).append(c);
				literal.setLength(0);
			}
			else {
				literal.append(c);
			}
		}
		glob.append(RedisKeys.escape(literal.toString())).append('}');
		return scanAndUnlink(cache, glob.toString(), true);
	}

	@Override
	public long clear(String cache) {
		// entries, their loader locks and tag sets all live in the cache's namespace
		return scanAndUnlink(cache, this.keys.scanPattern(PATTERN, cache), false);
	}

	@Override
	public CacheSettings settings(String cache) {
		return this.configured.getOrDefault(cache, this.defaults);
	}

	/**
	 * Tells whether a cache is listed in the configuration.
	 * @param cache the cache name
	 * @return {@code true} for a configured cache
	 */
	public boolean isConfigured(String cache) {
		return this.configured.containsKey(cache);
	}

	@Override
	public Set<String> cacheNames() {
		Set<String> names = new TreeSet<>(this.configured.keySet());
		names.addAll(this.statistics.keySet());
		return names;
	}

	/**
	 * Describes every cache for the Actuator endpoint: TTLs, counts and hit ratio.
	 * @return the description per cache name
	 */
	public Map<String, Object> describe() {
		Map<String, Object> caches = new LinkedHashMap<>();
		for (String name : cacheNames()) {
			CacheSettings settings = settings(name);
			CacheStatistics stats = statistics(name);
			Map<String, Object> cache = new LinkedHashMap<>();
			cache.put("configured", this.configured.containsKey(name));
			cache.put("ttl", settings.ttl().toString());
			cache.put("ttlJitter", settings.ttlJitter());
			cache.put("staleWhileRevalidate", settings.staleWhileRevalidate().toString());
			cache.put("cacheNulls", (settings.cacheNulls() != null) ? settings.cacheNulls().toString() : "off");
			cache.put("earlyRefreshBeta", settings.earlyRefreshBeta());
			cache.put("lockWait", settings.lockWait().toString());
			cache.put("onLockTimeout", settings.onLockTimeout().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
			cache.put("hits", stats.hits.sum());
			cache.put("stale", stats.stale.sum());
			cache.put("misses", stats.misses.sum());
			cache.put("errors", stats.errors.sum());
			cache.put("loads", stats.loads.sum());
			cache.put("corrupt", stats.corrupt.sum());
			cache.put("hitRatio", stats.hitRatio());
			caches.put(name, cache);
		}
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("circuitBreaker", circuitState());
		description.put("caches", caches);
		return description;
	}

	/**
	 * Returns the circuit breaker's state.
	 * @return {@code closed}, {@code open} or {@code half-open}
	 */
	public String circuitState() {
		return this.breaker.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

	@Override
	public void destroy() {
		this.refreshExecutor.shutdownNow();
		this.renewals.shutdownNow();
		RedisMessageListenerContainer container;
		synchronized (this.subscriptionMonitor) {
			this.destroyed = true;
			container = this.subscription;
		}
		if (container != null) {
			// never let a subscription that is still being established hold up the shutdown
			Thread stopper = new Thread(() -> {
				try {
					container.destroy();
				}
				catch (Exception ex) {
					logger.debug("Cannot stop the cache wake-up subscription", ex);
				}
			}, "redis-patterns-cache-unsubscribe");
			stopper.setDaemon(true);
			stopper.start();
			try {
				stopper.join(2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}


	// ---------------------------------------------------------------- core protocol

	/**
	 * Reads an entry without loading.
	 */
	<T> Lookup<T> lookup(String cache, Object key, Type type) {
		EntryKeys k = entryKeys(cache, id(key));
		CacheStatistics stats = statistics(cache);
		if (!this.breaker.tryAcquire()) {
			countError(cache, stats);
			return Lookup.miss();
		}
		String raw;
		try {
			raw = this.redis.opsForValue().get(k.value());
			this.breaker.recordSuccess();
		}
		catch (RuntimeException ex) {
			redisFailed(cache, "read", ex);
			countError(cache, stats);
			return Lookup.miss();
		}
		Decoded<T> decoded = (raw != null) ? decode(cache, k, raw, type) : null;
		if (decoded == null) {
			stats.misses.increment();
			this.metrics.get(cache, "miss");
			return Lookup.miss();
		}
		boolean stale = System.currentTimeMillis() >= decoded.entry().softExpiryMillis();
		(stale ? stats.stale : stats.hits).increment();
		this.metrics.get(cache, stale ? "stale" : "hit");
		return new Lookup<>(true, decoded.value());
	}

	/**
	 * Returns the cached value or loads it.
	 * @param refreshLoader the loader for a background refresh (may run on another thread)
	 * @throws LoaderFailedException wrapping what the loader threw
	 */
	@SuppressWarnings("unchecked")
	<T> @Nullable T getOrLoad(String cache, CacheSettings settings, String id, Type type, Collection<String> tags,
			Loader<? extends @Nullable T> loader, Loader<? extends @Nullable T> refreshLoader) {
		EntryKeys k = entryKeys(cache, id);
		CacheStatistics stats = statistics(cache);
		if (!this.breaker.tryAcquire()) {
			countError(cache, stats);
			return (T) coalesce(k.value(), () -> timedLoad(cache, loader));
		}
		String raw;
		try {
			raw = this.redis.opsForValue().get(k.value());
			this.breaker.recordSuccess();
		}
		catch (RuntimeException ex) {
			redisFailed(cache, "read", ex);
			countError(cache, stats);
			return (T) coalesce(k.value(), () -> timedLoad(cache, loader));
		}
		Decoded<T> decoded = (raw != null) ? decode(cache, k, raw, type) : null;
		if (decoded != null) {
			long now = System.currentTimeMillis();
			CacheEntry entry = decoded.entry();
			if (now < entry.softExpiryMillis()) {
				stats.hits.increment();
				this.metrics.get(cache, "hit");
				if (settings.earlyRefreshBeta() > 0 && xfetch(entry, settings.earlyRefreshBeta(), now)) {
					refreshInBackground(cache, settings, k, type, tags, refreshLoader, entry.softExpiryMillis());
				}
				return decoded.value();
			}
			stats.stale.increment();
			this.metrics.get(cache, "stale");
			refreshInBackground(cache, settings, k, type, tags, refreshLoader, entry.softExpiryMillis());
			return decoded.value();
		}
		stats.misses.increment();
		this.metrics.get(cache, "miss");
		ensureSubscribed();
		return (T) coalesce(k.value(), () -> loadDistributed(cache, settings, k, type, tags, loader));
	}

	/**
	 * XFetch: refresh early when {@code now - delta * beta * ln(random) >= expiry}.
	 */
	static boolean xfetch(CacheEntry entry, double beta, long now) {
		double random = ThreadLocalRandom.current().nextDouble();
		if (random <= 0) {
			return true;
		}
		return now - entry.computeMillis() * beta * Math.log(random) >= entry.softExpiryMillis();
	}

	private @Nullable Object coalesce(String valueKey, Loader<?> work) {
		CompletableFuture<@Nullable Object> mine = new CompletableFuture<>();
		CompletableFuture<@Nullable Object> leader;
		while ((leader = this.inFlight.putIfAbsent(valueKey, mine)) != null) {
			try {
				return leader.get();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new WaitInterruptedException(valueKey, ex);
			}
			catch (ExecutionException ex) {
				Throwable cause = ex.getCause();
				if (cause instanceof WaitInterruptedException && !Thread.currentThread().isInterrupted()) {
					// the local leader was interrupted, not this caller: take over
					this.inFlight.remove(valueKey, leader);
					continue;
				}
				if (cause instanceof LoaderFailedException failed) {
					throw new LoaderFailedException(failed.getCause());
				}
				if (cause instanceof RuntimeException runtime) {
					throw runtime;
				}
				throw new LoaderFailedException(cause);
			}
		}
		try {
			Object value = work.load();
			mine.complete(value);
			return value;
		}
		catch (Throwable ex) {
			mine.completeExceptionally(ex);
			if (ex instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new LoaderFailedException(ex);
		}
		finally {
			this.inFlight.remove(valueKey, mine);
		}
	}

	private <T> @Nullable T loadDistributed(String cache, CacheSettings settings, EntryKeys k, Type type,
			Collection<String> tags, Loader<? extends @Nullable T> loader) {
		long deadline = System.nanoTime() + settings.lockWait().toNanos();
		long waitStart = 0;
		Decoded<T> stale = null;
		while (true) {
			LoaderLocks.Held acquired;
			try {
				acquired = this.loaderLocks.tryAcquire(k.lock(), settings.lockLease());
				this.breaker.recordSuccess();
			}
			catch (RuntimeException ex) {
				stopIfInterrupted(k, ex);
				redisFailed(cache, "lock", ex);
				return timedLoad(cache, loader);
			}
			if (acquired != null) {
				if (waitStart != 0) {
					this.metrics.lockWait(cache, Duration.ofNanos(System.nanoTime() - waitStart));
				}
				Decoded<T> current = readQuietly(cache, k, type);
				if (current != null && System.currentTimeMillis() < current.entry().softExpiryMillis()) {
					releaseLock(cache, k, acquired, false);
					return current.value();
				}
				return loadAndWrite(cache, settings, k, type, tags, acquired, loader, "success");
			}
			if (waitStart == 0) {
				waitStart = System.nanoTime();
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				break;
			}
			awaitWakeUp(k.value(), Math.min(TimeUnit.NANOSECONDS.toMillis(remaining) + 1, MAX_POLL_MILLIS));
			Decoded<T> written;
			try {
				String raw = this.redis.opsForValue().get(k.value());
				this.breaker.recordSuccess();
				written = (raw != null) ? decode(cache, k, raw, type) : null;
			}
			catch (RuntimeException ex) {
				stopIfInterrupted(k, ex);
				redisFailed(cache, "read", ex);
				this.metrics.lockWait(cache, Duration.ofNanos(System.nanoTime() - waitStart));
				return timedLoad(cache, loader);
			}
			if (written != null) {
				if (System.currentTimeMillis() < written.entry().softExpiryMillis()) {
					this.metrics.lockWait(cache, Duration.ofNanos(System.nanoTime() - waitStart));
					return written.value();
				}
				stale = written;
			}
		}
		this.metrics.lockWait(cache, Duration.ofNanos(System.nanoTime() - waitStart));
		return switch (settings.onLockTimeout()) {
			case SERVE_STALE -> (stale != null) ? stale.value() : timedLoad(cache, loader);
			case CALL_LOADER -> timedLoad(cache, loader);
			case FAIL -> throw new CacheLockTimeoutException(cache, "Another instance held the loader lock of a key of cache '"
					+ cache + "' for longer than the lock wait (" + settings.lockWait() + ")");
		};
	}

	private <T> @Nullable T loadAndWrite(String cache, CacheSettings settings, EntryKeys k, Type type,
			Collection<String> tags,
			LoaderLocks.Held held, Loader<? extends @Nullable T> loader, String outcome) {
		long lease = settings.lockLease().toMillis();
		// Tagged before the loader runs: an evictTags during the load then unlinks the loader lock,
		// and the fenced write below drops the result it read before the invalidation.
		addTags(cache, k, tags, lease + maxEntryTtlMillis(settings));
		ScheduledFuture<?> renewal = this.renewals.scheduleAtFixedRate(() -> renew(cache, held, lease),
				lease / 3, lease / 3, TimeUnit.MILLISECONDS);
		long start = System.nanoTime();
		T value;
		try {
			value = loader.load();
		}
		catch (Throwable ex) {
			renewal.cancel(false);
			this.metrics.load(cache, outcome.equals("success") ? "failure" : "refresh-failure",
					Duration.ofNanos(System.nanoTime() - start));
			releaseLock(cache, k, held, true);
			throw (ex instanceof RuntimeException runtime) ? runtime : new LoaderFailedException(ex);
		}
		renewal.cancel(false);
		long computeNanos = System.nanoTime() - start;
		this.metrics.load(cache, outcome, Duration.ofNanos(computeNanos));
		statistics(cache).loads.increment();
		if (value == null && settings.cacheNulls() == null) {
			releaseLock(cache, k, held, true);
			return null;
		}
		Written written;
		try {
			written = encode(cache, k, settings, value, TimeUnit.NANOSECONDS.toMillis(computeNanos));
		}
		catch (EncodeFailedException ex) {
			logger.warn("Cannot encode a value of cache '" + cache + "' as JSON; not cached", ex.getCause());
			releaseLock(cache, k, held, true);
			return value;
		}
		try {
			requireReadable(type, value, written);
		}
		catch (UnreadableTypeException ex) {
			releaseLock(cache, k, held, true);
			throw ex;
		}
		try {
			Long stored = this.redis.execute(this.fencedWrite, List.of(k.value(), k.lock()), held.ownerToken(),
					written.entry(), Long.toString(written.ttlMillis()), this.channel, k.value());
			this.breaker.recordSuccess();
			if (Long.valueOf(1).equals(stored)) {
				this.metrics.put(cache);
				releaseLock(cache, k, held, false);
				// again after the write: covers a load that outlived the tag sets' TTL, and an evictTags
				// that removed the key from a set after the lock changed hands
				addTags(cache, k, tags, written.ttlMillis());
			}
			else {
				// the lease expired or an invalidation deleted the lock: the result is not stored
				logger.debug("Loader of cache '" + cache + "' lost its lock before writing; result not stored");
				releaseLock(cache, k, held, true);
			}
		}
		catch (RuntimeException ex) {
			redisFailed(cache, "write", ex);
			releaseLock(cache, k, held, false);
		}
		return value;
	}

	<T> void refreshInBackground(String cache, CacheSettings settings, EntryKeys k, Type type,
			Collection<String> tags, Loader<? extends @Nullable T> loader, long seenSoftExpiry) {
		if (!this.refreshing.add(k.value())) {
			return;
		}
		try {
			this.refreshExecutor.execute(() -> {
				try {
					refresh(cache, settings, k, type, tags, loader, seenSoftExpiry);
				}
				catch (Throwable ex) {
					logger.warn("Background refresh of an entry of cache '" + cache + "' failed", ex);
				}
				finally {
					this.refreshing.remove(k.value());
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.refreshing.remove(k.value());
			logger.debug("Background refresh queue is full; entry stays stale until its TTL");
		}
	}

	private <T> void refresh(String cache, CacheSettings settings, EntryKeys k, Type type, Collection<String> tags,
			Loader<? extends @Nullable T> loader, long seenSoftExpiry) {
		if (!this.breaker.tryAcquire()) {
			return;
		}
		LoaderLocks.Held acquired;
		try {
			acquired = this.loaderLocks.tryAcquire(k.lock(), settings.lockLease());
			this.breaker.recordSuccess();
		}
		catch (RuntimeException ex) {
			redisFailed(cache, "lock", ex);
			return;
		}
		if (acquired == null) {
			return;
		}
		Decoded<T> current = readQuietly(cache, k, type);
		if (current != null && current.entry().softExpiryMillis() != seenSoftExpiry) {
			releaseLock(cache, k, acquired, false);
			return;
		}
		loadAndWrite(cache, settings, k, type, tags, acquired, loader, "refreshed");
	}

	private <T> @Nullable T timedLoad(String cache, Loader<? extends @Nullable T> loader) {
		long start = System.nanoTime();
		try {
			T value = loader.load();
			this.metrics.load(cache, "success", Duration.ofNanos(System.nanoTime() - start));
			statistics(cache).loads.increment();
			return value;
		}
		catch (Throwable ex) {
			this.metrics.load(cache, "failure", Duration.ofNanos(System.nanoTime() - start));
			throw (ex instanceof RuntimeException runtime) ? runtime : new LoaderFailedException(ex);
		}
	}

	// ---------------------------------------------------------------- helpers

	private void renew(String cache, LoaderLocks.Held held, long leaseMillis) {
		try {
			held.extend(Duration.ofMillis(leaseMillis));
		}
		catch (RuntimeException ex) {
			redisFailed(cache, "lock", ex);
		}
	}

	/**
	 * Releases a loader lock; with {@code wake}, also tells waiters of other instances to look
	 * again (used when nothing was written, so they may take over the load).
	 */
	private void releaseLock(String cache, EntryKeys k, LoaderLocks.Held held, boolean wake) {
		try {
			held.release();
			if (wake) {
				this.redis.convertAndSend(this.channel, k.value());
			}
		}
		catch (RuntimeException ex) {
			redisFailed(cache, "lock", ex);
		}
	}

	private <T> @Nullable Decoded<T> readQuietly(String cache, EntryKeys k, Type type) {
		try {
			String raw = this.redis.opsForValue().get(k.value());
			return (raw != null) ? decode(cache, k, raw, type) : null;
		}
		catch (RuntimeException ex) {
			redisFailed(cache, "read", ex);
			return null;
		}
	}

	<T> @Nullable Decoded<T> decode(String cache, EntryKeys k, String raw, Type type) {
		return decode(cache, k, raw, type, (undecodable) -> evictUndecodable(cache, undecodable));
	}

	/**
	 * Decodes an entry; one that does not decode is counted, logged and handed to {@code evict}
	 * (the non-blocking path passes a reactive eviction: it runs on the client's event loop, where
	 * a blocking command would wait for a reply only that thread can read).
	 */
	@SuppressWarnings("unchecked")
	<T> @Nullable Decoded<T> decode(String cache, EntryKeys k, String raw, Type type,
			java.util.function.Consumer<EntryKeys> evict) {
		CacheEntry entry = CacheEntry.parse(raw);
		if (entry != null) {
			if (entry.isNull()) {
				return new Decoded<>(entry, null);
			}
			try {
				JavaType javaType = this.javaTypes.computeIfAbsent(type, this.mapper::constructType);
				String json = this.encryption.open(cache, k.value(), entry.json());
				return new Decoded<>(entry, (T) this.mapper.readValue(json, javaType));
			}
			catch (UndecryptableValueException ex) {
				statistics(cache).corrupt.increment();
				this.metrics.corrupt(cache);
				this.errorLog.warn("An entry of encrypted cache '" + cache + "' does not decrypt (" + ex.getMessage()
						+ "); it was evicted and counted in redis.patterns.cache.corrupt", null);
				evict.accept(k);
				return null;
			}
			catch (JacksonException | IllegalArgumentException ex) {
				statistics(cache).corrupt.increment();
				this.metrics.corrupt(cache);
				this.errorLog.warn("An entry of cache '" + cache + "' does not decode as " + type.getTypeName()
						+ " (changed class, or " + unreadableMessage(type, ex)
						+ "); it was evicted and counted in redis.patterns.cache.corrupt", null);
				evict.accept(k);
				return null;
			}
		}
		statistics(cache).corrupt.increment();
		this.metrics.corrupt(cache);
		this.errorLog.warn("An entry of cache '" + cache + "' is not in this library's format (corrupt bytes or "
				+ "written by another client); it was evicted and counted in redis.patterns.cache.corrupt", null);
		evict.accept(k);
		return null;
	}

	private void evictUndecodable(String cache, EntryKeys k) {
		try {
			this.redis.unlink(k.value());
		}
		catch (RuntimeException ex) {
			redisFailed(cache, "evict", ex);
		}
	}

	Written encode(String cache, EntryKeys k, CacheSettings settings, @Nullable Object value, long computeMillis) {
		long now = System.currentTimeMillis();
		if (value == null) {
			Duration nullTtl = settings.cacheNulls();
			long ttl = jittered((nullTtl != null) ? nullTtl.toMillis() : 1000, settings.ttlJitter());
			return new Written(new CacheEntry(now + ttl, computeMillis, true, "").encode(), ttl);
		}
		String json;
		try {
			json = this.encryption.seal(cache, k.value(), this.mapper.writeValueAsString(value));
		}
		catch (JacksonException ex) {
			throw new EncodeFailedException(ex);
		}
		long ttl = jittered(settings.ttl().toMillis(), settings.ttlJitter());
		long hardTtl = ttl + settings.staleWhileRevalidate().toMillis();
		return new Written(new CacheEntry(now + ttl, computeMillis, false, json).encode(), hardTtl);
	}

	/** The longest TTL an entry of these settings is written with. */
	private static long maxEntryTtlMillis(CacheSettings settings) {
		long value = settings.ttl().toMillis() + settings.staleWhileRevalidate().toMillis();
		Duration nullTtl = settings.cacheNulls();
		return Math.max(value, (nullTtl != null) ? nullTtl.toMillis() : 1000);
	}

	static long jittered(long ttlMillis, double jitter) {
		if (jitter <= 0) {
			return ttlMillis;
		}
		long cut = (long) (ttlMillis * jitter * ThreadLocalRandom.current().nextDouble());
		return Math.max(1, ttlMillis - cut);
	}

	private void addTags(String cache, EntryKeys k, Collection<String> tags, long ttlMillis) {
		for (String tag : tags) {
			try {
				this.redis.execute(this.tagAdd, List.of(tagKey(cache, tag)), Long.toString(ttlMillis), k.value());
			}
			catch (RuntimeException ex) {
				redisFailed(cache, "write", ex);
			}
		}
	}

	/**
	 * Checks, once per type, that what is written can be read back as the type it will be read as:
	 * a type Jackson cannot construct from its own JSON would otherwise never hit and reload on every
	 * call.
	 * @throws UnreadableTypeException naming the type and Jackson's reason
	 */
	void requireReadable(Type type, @Nullable Object value, Written written) {
		if (value == null || this.readableTypes.contains(type)) {
			return;
		}
		String known = this.unreadableTypes.get(type);
		if (known != null) {
			throw new UnreadableTypeException(known);
		}
		CacheEntry entry = CacheEntry.parse(written.entry());
		try {
			JavaType javaType = this.javaTypes.computeIfAbsent(type, this.mapper::constructType);
			String json = (entry != null) ? entry.json() : "null";
			// an encrypted cache's entry holds an envelope: check the JSON it was made of
			json = ValueEncryptor.isEnvelope(json) ? this.mapper.writeValueAsString(value) : json;
			this.mapper.readValue(json, javaType);
			this.readableTypes.add(type);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			String problem = unreadableMessage(type, ex);
			this.unreadableTypes.put(type, problem);
			throw new UnreadableTypeException(problem);
		}
	}

	/**
	 * Tells, without a value, whether a type can never be read from JSON (an interface or abstract
	 * class without type information, a class without a usable constructor).
	 * @return what is wrong, naming the type and Jackson's reason, or {@code null} when nothing is
	 * known to be wrong
	 */
	@Nullable String unreadableProblem(Type type) {
		try {
			JavaType javaType = this.javaTypes.computeIfAbsent(type, this.mapper::constructType);
			this.mapper.readValue("{}", javaType);
		}
		catch (InvalidDefinitionException ex) {
			return unreadableMessage(type, ex);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			// "{}" is not this type's shape, which says nothing about its definition
		}
		return null;
	}

	private static String unreadableMessage(Type type, Exception ex) {
		String reason = String.valueOf(ex.getMessage());
		int newline = reason.indexOf('\n');
		return "values of type " + type.getTypeName() + " cannot be read back from JSON, so they would never be "
				+ "served from the cache (" + ((newline > 0) ? reason.substring(0, newline) : reason)
				+ "); return a concrete type Jackson can construct, or add type information with @JsonTypeInfo";
	}

	private long evictKeys(String cache, List<String> sameSlotKeys) {
		if (!this.breaker.tryAcquire()) {
			redisFailed(cache, "evict", null);
			return 0;
		}
		try {
			Long removed = this.redis.unlink(sameSlotKeys);
			this.breaker.recordSuccess();
			this.metrics.evictions(cache, (removed != null) ? removed : 0);
			return (removed != null) ? removed : 0;
		}
		catch (RuntimeException ex) {
			redisFailed(cache, "evict", ex);
			return 0;
		}
	}

	private long scanAndUnlink(String cache, String glob, boolean withLocks) {
		if (!this.breaker.tryAcquire()) {
			redisFailed(cache, "evict", null);
			return 0;
		}
		long removed = 0;
		try {
			RedisConnectionFactory factory = this.redis.getRequiredConnectionFactory();
			ScanOptions options = ScanOptions.scanOptions().match(glob).count(SCAN_BATCH).build();
			if (RedisMode.of(factory) == RedisMode.CLUSTER) {
				try (RedisClusterConnection connection = factory.getClusterConnection()) {
					for (RedisClusterNode node : connection.clusterGetNodes()) {
						if (node.isMaster()) {
							try (Cursor<byte[]> cursor = connection.scan(node, options)) {
								removed += unlinkScanned(cursor, (bytes) -> new String(bytes,
										java.nio.charset.StandardCharsets.UTF_8), withLocks);
							}
						}
					}
				}
			}
			else {
				try (Cursor<String> cursor = this.redis.scan(options)) {
					removed += unlinkScanned(cursor, (key) -> key, withLocks);
				}
			}
			this.breaker.recordSuccess();
		}
		catch (RuntimeException ex) {
			redisFailed(cache, "evict", ex);
		}
		this.metrics.evictions(cache, removed);
		return removed;
	}

	private <K> long unlinkScanned(Cursor<K> cursor, java.util.function.Function<K, String> toKey, boolean withLocks) {
		long removed = 0;
		List<String> batch = new ArrayList<>(SCAN_BATCH * 2);
		while (cursor.hasNext()) {
			String key = toKey.apply(cursor.next());
			batch.add(key);
			String lock = withLocks ? lockKeyOf(key) : null;
			if (lock != null) {
				batch.add(lock);
			}
			if (batch.size() >= SCAN_BATCH) {
				removed += unlinkGrouped(batch);
				batch.clear();
			}
		}
		if (!batch.isEmpty()) {
			removed += unlinkGrouped(batch);
		}
		return removed;
	}

	private long unlinkGrouped(List<String> keysToRemove) {
		if (RedisMode.of(this.redis.getRequiredConnectionFactory()) != RedisMode.CLUSTER) {
			Long removed = this.redis.unlink(keysToRemove);
			return (removed != null) ? removed : 0;
		}
		Map<Integer, List<String>> bySlot = new HashMap<>();
		for (String key : keysToRemove) {
			bySlot.computeIfAbsent(ClusterSlotHashUtil.calculateSlot(key), (slot) -> new ArrayList<>()).add(key);
		}
		long removed = 0;
		for (List<String> group : bySlot.values()) {
			Long count = this.redis.unlink(group);
			removed += (count != null) ? count : 0;
		}
		return removed;
	}

	private void awaitWakeUp(String valueKey, long maxMillis) {
		ensureSubscribed();
		CompletableFuture<Void> signal = this.wakeUps.computeIfAbsent(valueKey, (key) -> new CompletableFuture<>());
		try {
			signal.get(maxMillis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			// stop waiting: the caller is being cancelled (the flag stays set for it to see)
			Thread.currentThread().interrupt();
			throw new WaitInterruptedException(valueKey, ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			// fall through to the poll
		}
		finally {
			// also when the wait timed out: no PUBLISH may ever come for this key (one waiter per key
			// and JVM, since callers coalesce first)
			this.wakeUps.remove(valueKey, signal);
		}
	}

	/**
	 * Starts the wake-up subscription in the background on first need; until it is listening,
	 * waiters fall back to polling.
	 */
	private void ensureSubscribed() {
		if (this.subscriptionStarted) {
			return;
		}
		synchronized (this.subscriptionMonitor) {
			if (this.subscriptionStarted) {
				return;
			}
			this.subscriptionStarted = true;
			Thread starter = new Thread(this::subscribe, "redis-patterns-cache-subscribe");
			starter.setDaemon(true);
			starter.start();
		}
	}

	private void subscribe() {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		try {
			container.setConnectionFactory(this.redis.getRequiredConnectionFactory());
			container.setRecoveryInterval(1000);
			container.setMaxSubscriptionRegistrationWaitingTime(2000);
			container.addMessageListener((message, pattern) -> {
				String key = new String(message.getBody(), java.nio.charset.StandardCharsets.UTF_8);
				CompletableFuture<Void> signal = this.wakeUps.remove(key);
				if (signal != null) {
					signal.complete(null);
				}
			}, new ChannelTopic(this.channel));
			container.afterPropertiesSet();
			synchronized (this.subscriptionMonitor) {
				if (this.destroyed) {
					return;
				}
				this.subscription = container;
			}
			container.start();
		}
		catch (RuntimeException ex) {
			logger.info("Cache wake-ups are unavailable (" + ex.getMessage() + "); waiters poll instead");
		}
	}

	void redisFailed(String cache, String operation, @Nullable RuntimeException ex) {
		if (ex != null && isInterruption(ex)) {
			// the calling thread was interrupted (Lettuce fails its commands): not a Redis failure
			logger.debug("Redis " + operation + " for cache '" + cache + "' was interrupted", ex);
			this.breaker.release();
			return;
		}
		if (ex != null) {
			if (RedisFailures.isRedisFault(ex)) {
				this.breaker.recordFailure();
			}
			else {
				// a permission, script or decoding error says nothing about Redis being down
				this.breaker.release();
			}
			this.errorLog.warn("Redis " + operation + " for cache '" + cache + "' failed; the caller was not affected", ex);
		}
		this.metrics.redisError(cache, operation);
	}

	/** A waiting caller whose Redis command failed because it was interrupted stops waiting. */
	private static void stopIfInterrupted(EntryKeys k, RuntimeException ex) {
		if (isInterruption(ex)) {
			Thread.currentThread().interrupt();
			throw new WaitInterruptedException(k.value(), ex);
		}
	}

	/** The circuit breaker. */
	RedisCircuitBreaker breaker() {
		return this.breaker;
	}

	LoaderLocks loaderLocks() {
		return this.loaderLocks;
	}

	CacheMetrics metrics() {
		return this.metrics;
	}

	StringRedisTemplate redis() {
		return this.redis;
	}

	RedisScript<Long> fencedWriteScript() {
		return this.fencedWrite;
	}

	String wakeUpChannel() {
		return this.channel;
	}

	ScheduledExecutorService renewals() {
		return this.renewals;
	}

	/**
	 * The signal that a value key was written (or its loader gave up), completed by the wake-up
	 * subscription. A caller that stops waiting removes it with {@link #forgetWakeUp}.
	 */
	CompletableFuture<Void> wakeUp(String valueKey) {
		ensureSubscribed();
		return this.wakeUps.computeIfAbsent(valueKey, (key) -> new CompletableFuture<>());
	}

	void forgetWakeUp(String valueKey, CompletableFuture<Void> signal) {
		this.wakeUps.remove(valueKey, signal);
	}

	/** The non-blocking operations, created on first use. */
	AsyncCacheOperations async() {
		AsyncCacheOperations async = this.async;
		if (async == null) {
			async = new AsyncCacheOperations(this);
			this.async = async;
		}
		return async;
	}

	/**
	 * Evicts one entry (and its loader lock).
	 * @return whether anything was removed
	 */
	boolean evictIfPresent(String cache, Object key) {
		EntryKeys k = entryKeys(cache, id(key));
		return evictKeys(cache, List.of(k.value(), k.lock())) > 0;
	}

	/** The value keys whose wake-up this instance waits for (for tests). */
	Set<String> pendingWakeUps() {
		return Set.copyOf(this.wakeUps.keySet());
	}

	/**
	 * Tells whether a failure is the calling thread's interruption: an
	 * {@link InterruptedException}, or Lettuce's {@code RedisCommandInterruptedException}, in the
	 * cause chain.
	 */
	static boolean isInterruption(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof InterruptedException
					|| cause.getClass().getName().equals("io.lettuce.core.RedisCommandInterruptedException")) {
				return true;
			}
		}
		return false;
	}

	void countError(String cache, CacheStatistics stats) {
		stats.errors.increment();
		this.metrics.get(cache, "error");
	}

	CacheStatistics statistics(String cache) {
		return this.statistics.computeIfAbsent(cache, (name) -> new CacheStatistics());
	}

	/**
	 * Returns the start every key of every cache shares.
	 * @return {@code <prefix>:cache:}
	 */
	public String keyNamespace() {
		return this.keys.namespace(PATTERN);
	}

	/**
	 * Returns the string that identifies a key's entry.
	 * @param key the cache key
	 * @return its stable string form
	 * @throws IllegalStateException when the key's type has none (see {@link CacheKeyConverter})
	 */
	public String id(Object key) {
		return this.keyConverter.convert(key);
	}

	EntryKeys entryKeys(String cache, String id) {
		String tag = cache + ":" + id;
		return new EntryKeys(this.keys.tagged(PATTERN, cache, tag), this.keys.tagged(PATTERN, cache, tag, LOADER_SUFFIX));
	}

	/** The loader lock key of a value key: the value key with the {@code :loader} suffix. */
	@Nullable String lockKeyOf(String valueKey) {
		if (valueKey.lastIndexOf('{') < 0 || !valueKey.endsWith("}")) {
			return null;
		}
		return valueKey + ":" + LOADER_SUFFIX;
	}

	/**
	 * The tag index of a tag: a sorted set (named {@code tags}, not the {@code tag} of the plain sets
	 * earlier versions wrote, so a rolling upgrade never meets a key of the other type).
	 */
	String tagKey(String cache, String tag) {
		return this.keys.tagged(PATTERN, cache, tag, "tags");
	}

	/** Computes a value; may throw anything. */
	@FunctionalInterface
	interface Loader<T> {

		T load() throws Throwable;

	}

	record EntryKeys(String value, String lock) {
	}

	record Lookup<T>(boolean present, @Nullable T value) {

		static <T> Lookup<T> miss() {
			return new Lookup<>(false, null);
		}

	}

	record Decoded<T>(CacheEntry entry, @Nullable T value) {
	}

	record Written(String entry, long ttlMillis) {
	}

	/** Carries a loader's throwable through the cache machinery. */
	static final class LoaderFailedException extends RuntimeException {

		LoaderFailedException(Throwable cause) {
			super(cause);
		}

	}

	/**
	 * Thrown to a caller interrupted while it waited for a loader (of another instance, or of
	 * another thread of this one); the thread's interrupt flag stays set.
	 */
	static final class WaitInterruptedException extends CacheLoaderException {

		WaitInterruptedException(String valueKey, Throwable cause) {
			super("Interrupted while waiting for the loader of cache entry " + valueKey, cause);
		}

	}

	/** A value's type cannot be read back from the JSON it is written as. */
	static final class UnreadableTypeException extends IllegalStateException {

		UnreadableTypeException(String message) {
			super(message);
		}

	}

	static final class EncodeFailedException extends RuntimeException {

		EncodeFailedException(Throwable cause) {
			super(cause);
		}

	}

}
