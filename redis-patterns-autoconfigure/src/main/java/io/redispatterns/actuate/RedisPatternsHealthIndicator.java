package io.redispatterns.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.redispatterns.core.PatternHealthDetails;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.RedisMode;
import io.redispatterns.core.RedisServerTime;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisConnectionUtils;

/**
 * The {@code redisPatterns} health contributor: {@code UP} when Redis answers {@code PING},
 * with the ping latency, the Redis version, role, used memory, the connection mode, the skew
 * between the Redis and local clocks, and each pattern's {@link PatternHealthDetails}.
 * <p>
 * An ACL user that may not run {@code INFO} or {@code TIME} still gets a health report: the
 * details it cannot read are reported as unavailable instead of failing the check.
 * <p>
 * The check answers within its timeout: when Redis does not answer in time, or the connection
 * fails, the report is {@code DOWN} with an {@code error} message and a {@code failure} kind
 * ({@code unavailable}, {@code outcome-unknown}), never an exception class name.
 */
public class RedisPatternsHealthIndicator implements HealthIndicator {

	/** Default longest wait for Redis. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

	private final RedisConnectionFactory connectionFactory;

	private final RedisKeys keys;

	private final RedisServerTime serverTime;

	private final List<PatternHealthDetails> patterns;

	private final Duration timeout;

	/**
	 * Creates the indicator with the {@link #DEFAULT_TIMEOUT default timeout}.
	 * @param connectionFactory the application's connection factory
	 * @param keys the key builder (its prefix is shown)
	 * @param serverTime the Redis clock reader
	 * @param patterns the patterns' contributions
	 */
	public RedisPatternsHealthIndicator(RedisConnectionFactory connectionFactory, RedisKeys keys,
			RedisServerTime serverTime, List<PatternHealthDetails> patterns) {
		this(connectionFactory, keys, serverTime, patterns, DEFAULT_TIMEOUT);
	}

	/**
	 * Creates the indicator.
	 * @param connectionFactory the application's connection factory
	 * @param keys the key builder (its prefix is shown)
	 * @param serverTime the Redis clock reader
	 * @param patterns the patterns' contributions
	 * @param timeout the longest the check waits for Redis
	 */
	public RedisPatternsHealthIndicator(RedisConnectionFactory connectionFactory, RedisKeys keys,
			RedisServerTime serverTime, List<PatternHealthDetails> patterns, Duration timeout) {
		this.connectionFactory = connectionFactory;
		this.keys = keys;
		this.serverTime = serverTime;
		this.patterns = List.copyOf(patterns);
		this.timeout = timeout;
	}

	@Override
	public Health health() {
		return BoundedHealthCheck.run(this.timeout, () -> {
			Health.Builder builder = Health.unknown();
			doHealthCheck(builder);
			return builder.build();
		});
	}

	private void doHealthCheck(Health.Builder builder) {
		RedisMode mode = RedisMode.of(this.connectionFactory);
		RedisConnection connection = RedisConnectionUtils.getConnection(this.connectionFactory);
		try {
			long start = System.nanoTime();
			connection.ping();
			double pingMillis = (System.nanoTime() - start) / 1_000_000.0;
			builder.up()
				.withDetail("mode", mode.displayName())
				.withDetail("pingLatencyMs", Math.round(pingMillis * 100) / 100.0)
				.withDetail("keyPrefix", this.keys.prefix());
			addServerInfo(builder, connection);
			addClockSkew(builder);
		}
		finally {
			RedisConnectionUtils.releaseConnection(connection, this.connectionFactory);
		}
		addPatterns(builder);
	}

	private void addServerInfo(Health.Builder builder, RedisConnection connection) {
		try {
			Properties info = new Properties();
			if (connection instanceof RedisClusterConnection cluster) {
				List<RedisClusterNode> masters = new ArrayList<>();
				for (RedisClusterNode node : cluster.clusterGetNodes()) {
					if (node.isMaster()) {
						masters.add(node);
					}
				}
				builder.withDetail("masters", masters.size());
				if (!masters.isEmpty()) {
					putAll(info, cluster.serverCommands().info(masters.get(0), "server"));
					putAll(info, cluster.serverCommands().info(masters.get(0), "replication"));
					putAll(info, cluster.serverCommands().info(masters.get(0), "memory"));
				}
			}
			else {
				putAll(info, connection.serverCommands().info("server"));
				putAll(info, connection.serverCommands().info("replication"));
				putAll(info, connection.serverCommands().info("memory"));
			}
			withInfo(builder, "version", info, "redis_version");
			withInfo(builder, "role", info, "role");
			withInfo(builder, "connectedReplicas", info, "connected_slaves");
			withInfo(builder, "usedMemory", info, "used_memory_human");
			withInfo(builder, "usedMemoryBytes", info, "used_memory");
		}
		catch (DataAccessException ex) {
			builder.withDetail("info", "unavailable: " + BoundedHealthCheck.describe(ex));
		}
	}

	private void addClockSkew(Health.Builder builder) {
		try {
			builder.withDetail("clockSkewMs", this.serverTime.skewMillis());
		}
		catch (DataAccessException ex) {
			builder.withDetail("clockSkewMs", "unavailable: " + BoundedHealthCheck.describe(ex));
		}
	}

	private void addPatterns(Health.Builder builder) {
		for (PatternHealthDetails pattern : this.patterns) {
			Health health = pattern.health();
			if (Status.DOWN.equals(health.getStatus())) {
				builder.down();
			}
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("status", health.getStatus().getCode());
			details.putAll(health.getDetails());
			builder.withDetail(pattern.patternName(), details);
		}
	}

	private static void putAll(Properties target, @Nullable Properties source) {
		if (source != null) {
			target.putAll(source);
		}
	}

	private static void withInfo(Health.Builder builder, String detail, Properties info, String field) {
		String value = info.getProperty(field);
		if (value != null) {
			builder.withDetail(detail, value.matches("\\d+") ? (Object) Long.parseLong(value) : value);
		}
	}

}
