package io.redispatterns.test;

import java.util.List;
import java.util.Map;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/**
 * A running Redis deployment — {@link StandaloneRedis}, {@link SentinelRedis} or {@link ClusterRedis} —
 * and how Spring Boot connects to it.
 * <p>
 * In an {@code ApplicationContextRunner} test, hand the connection to Boot's auto-configuration with
 * {@code runner.withBean(DataRedisConnectionDetails.class, deployment::connectionDetails)}; with
 * {@code @SpringBootTest}, annotate the test class with {@link WithRedis @WithRedis}.
 */
public interface RedisDeployment extends AutoCloseable {

	/** Shape of this deployment. */
	RedisTopology topology();

	/**
	 * Connection details for Spring Boot's Redis auto-configuration; defining them as a bean takes
	 * precedence over {@code spring.data.redis.*} properties.
	 */
	DataRedisConnectionDetails connectionDetails();

	/** The {@code spring.data.redis.*} properties that connect to this deployment. */
	Map<String, String> springProperties();

	/** Nodes that hold data: the server, master and replica, or the Cluster masters. */
	List<RedisNode> dataNodes();

	/** Deletes all keys, with {@code FLUSHALL} on every master. */
	void flushAll();

	/** Whether {@link #close()} was called. */
	boolean isClosed();

	/** Stops every process of this deployment and deletes its working directory. */
	@Override
	void close();

}
