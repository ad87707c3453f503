package io.redispatterns.test;

/**
 * The shapes of Redis deployment that {@link EmbeddedRedis} can start.
 */
public enum RedisTopology {

	/** One {@code redis-server}. */
	STANDALONE,

	/** A master, one replica and three Sentinels watching them under the master name {@code mymaster}. */
	SENTINEL,

	/** A Redis Cluster of three masters (no replicas) covering all 16384 slots. */
	CLUSTER

}
