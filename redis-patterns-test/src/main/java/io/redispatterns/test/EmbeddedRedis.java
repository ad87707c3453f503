package io.redispatterns.test;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Starts Redis deployments made of real {@code redis-server} processes.
 * <p>
 * The binary is {@code REDIS_SERVER_BIN} when that environment variable is set, else the
 * {@code redis-server} 7.0.15 shipped in {@code org.signal:embedded-redis}. Every process listens on
 * {@code 127.0.0.1} on a free port and works in a directory under {@code java.io.tmpdir}. A JVM shutdown
 * hook kills whatever is still running, so no process outlives the JVM.
 * <p>
 * When the environment variable {@code REDIS_URL} is set (for example {@code redis://localhost:6379}),
 * {@link #standalone()} and {@code shared(STANDALONE)} return that external server instead of starting one;
 * Sentinel and Cluster deployments are always started here.
 */
public final class EmbeddedRedis {

	/** Environment variable naming an external standalone server to use instead of an embedded one. */
	public static final String REDIS_URL_VARIABLE = "REDIS_URL";

	private static final Map<RedisTopology, RedisDeployment> SHARED = new ConcurrentHashMap<>();

	private static final Map<RedisTopology, Object> SHARED_LOCKS = new EnumMap<>(RedisTopology.class);

	static {
		for (RedisTopology topology : RedisTopology.values()) {
			SHARED_LOCKS.put(topology, new Object());
		}
	}

	private EmbeddedRedis() {
	}

	/**
	 * Starts a standalone server on a free port, or returns the external server of {@code REDIS_URL}.
	 * The caller closes it.
	 */
	public static StandaloneRedis standalone() {
		String url = externalUrl();
		return (url != null) ? StandaloneRedis.external(url) : StandaloneRedis.start(0);
	}

	/**
	 * Starts a standalone server that accepts TLS connections on {@link StandaloneRedis#tlsPort()} with a
	 * certificate generated for this server ({@link StandaloneRedis#tlsCertificates()}); its
	 * {@code connectionDetails()} and {@code springProperties()} connect over TLS. Ignores
	 * {@code REDIS_URL}. The caller closes it.
	 */
	public static StandaloneRedis standaloneTls() {
		return StandaloneRedis.startTls();
	}

	/**
	 * Starts the development server of an application, ignoring {@code REDIS_URL}: in a session of its own
	 * (a terminal's Ctrl-C reaches the application, not the server) and, on JVM shutdown, left running until
	 * its owner closes it (at most {@code 40 s}), so the application's graceful shutdown can still use it.
	 * The caller (a bean with {@code destroyMethod = "close"}) closes it.
	 * @param port the port to listen on, or 0 for a free port
	 */
	public static StandaloneRedis startApplicationServer(int port) {
		return StandaloneRedis.startForApplication(port);
	}

	/**
	 * Starts a standalone server, ignoring {@code REDIS_URL}. The caller closes it.
	 * @param port the port to listen on, or 0 for a free port
	 */
	public static StandaloneRedis startStandaloneServer(int port) {
		return StandaloneRedis.start(port);
	}

	/**
	 * Starts a master, a replica and three Sentinels ({@code mymaster}) and waits until they all know
	 * each other. The caller closes it.
	 */
	public static SentinelRedis sentinel() {
		return SentinelRedis.start();
	}

	/** Starts and forms a 3-master Redis Cluster. The caller closes it. */
	public static ClusterRedis cluster() {
		return ClusterRedis.start();
	}

	/**
	 * Starts a deployment of the given topology. The caller closes it.
	 * @param topology the shape of the deployment
	 */
	public static RedisDeployment start(RedisTopology topology) {
		return switch (topology) {
			case STANDALONE -> standalone();
			case SENTINEL -> sentinel();
			case CLUSTER -> cluster();
		};
	}

	/**
	 * The deployment of this topology shared by the whole JVM, started on first use (thread-safe) and
	 * stopped by the JVM shutdown hook. Tests that share it must not break it (kill nodes, move slots);
	 * they should clean their keys or call {@link RedisDeployment#flushAll()}. If it was closed, a new
	 * one is started.
	 * @param topology the shape of the deployment
	 */
	public static RedisDeployment shared(RedisTopology topology) {
		// the static initializer put a lock for every topology
		synchronized (Objects.requireNonNull(SHARED_LOCKS.get(topology))) {
			RedisDeployment deployment = SHARED.get(topology);
			if (deployment == null || deployment.isClosed()) {
				deployment = start(topology);
				SHARED.put(topology, deployment);
			}
			return deployment;
		}
	}

	private static @Nullable String externalUrl() {
		String url = System.getenv(REDIS_URL_VARIABLE);
		return (url != null && !url.isBlank()) ? url.trim() : null;
	}

}
