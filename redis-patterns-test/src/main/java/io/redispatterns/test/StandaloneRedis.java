package io.redispatterns.test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/**
 * A single {@code redis-server}, started by {@link EmbeddedRedis#standalone()} — or the external server
 * named by {@code REDIS_URL}, which {@link #close()} leaves running.
 */
public final class StandaloneRedis implements RedisDeployment {

	private final RedisNode node;

	private final @Nullable Path directory;

	private volatile boolean closed;

	private StandaloneRedis(RedisNode node, @Nullable Path directory) {
		this.node = node;
		this.directory = directory;
	}

	static StandaloneRedis start(int port) {
		Path directory = LiveProcesses.createDirectory("redis-standalone-");
		try {
			return new StandaloneRedis(RedisNode.start("standalone", RedisNode.Kind.DATA, directory, port, List.of()),
					directory);
		}
		catch (RuntimeException ex) {
			LiveProcesses.deleteDirectory(directory);
			throw ex;
		}
	}

	static StandaloneRedis external(String url) {
		return new StandaloneRedis(RedisNode.external(url), null);
	}

	/** The server. */
	public RedisNode node() {
		return this.node;
	}

	@Override
	public RedisTopology topology() {
		return RedisTopology.STANDALONE;
	}

	@Override
	public DataRedisConnectionDetails connectionDetails() {
		return ConnectionDetailsFactory.standalone(this.node.redisUri(), this.node.externalUrl());
	}

	@Override
	public Map<String, String> springProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		if (this.node.isExternal()) {
			properties.put("spring.data.redis.url", this.node.uri());
		}
		else {
			properties.put("spring.data.redis.host", this.node.host());
			properties.put("spring.data.redis.port", Integer.toString(this.node.port()));
		}
		return properties;
	}

	@Override
	public List<RedisNode> dataNodes() {
		return List.of(this.node);
	}

	@Override
	public void flushAll() {
		this.node.commands((commands) -> commands.flushall());
	}

	@Override
	public boolean isClosed() {
		return this.closed;
	}

	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (this.directory != null) {
			this.node.stop();
			LiveProcesses.deleteDirectory(this.directory);
		}
	}

	@Override
	public String toString() {
		return "StandaloneRedis[" + this.node.uri() + "]";
	}

}
