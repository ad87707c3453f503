package io.redispatterns.writebehind.internal;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisPatternsException;
import io.redispatterns.writebehind.BufferState;
import io.redispatterns.writebehind.WhenFull;
import io.redispatterns.writebehind.WriteBehind;
import io.redispatterns.writebehind.WriteBehindFullException;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Internal: one buffer. A write is one script: it checks the operation id (replay), the capacity, then
 * coalesces into the pending hash.
 */
final class RedisWriteBehind<T> implements WriteBehind<T> {

	private static final long FULL = -1;

	private static final long NOT_AN_INTEGER = -2;

	private static final long NEW_KEY = 1;

	private static final long COALESCED = 2;

	private final String name;

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final List<String> keys;

	private final JsonCodec codec;

	private final BufferSettings settings;

	private final String replayWindowMillis;

	private final WriteBehindMetrics metrics;

	private final Function<String, BufferState> state;

	RedisWriteBehind(String name, StringRedisTemplate redis, WriteBehindKeys keys, JsonCodec codec,
			BufferSettings settings, Duration replayWindow, WriteBehindMetrics metrics,
			Function<String, BufferState> state) {
		this.name = name;
		this.redis = redis;
		this.scripts = new LuaScriptRunner(this.redis::getRequiredConnectionFactory);
		this.keys = List.of(keys.pending(name), keys.order(name), keys.operations(name), keys.batchItems(name));
		this.codec = codec;
		this.settings = settings;
		this.replayWindowMillis = Long.toString(replayWindow.toMillis());
		this.metrics = metrics;
		this.state = state;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public void write(String key, T value) {
		apply("set", key, this.codec.encodeToString(value));
	}

	@Override
	public void increment(String key, long delta) {
		apply("add", key, Long.toString(delta));
	}

	@Override
	public long backlog() {
		return this.state.apply(this.name).backlog();
	}

	private void apply(String mode, String key, String value) {
		// one id for every try of this write: a blocked write that retries, or a command Lettuce re-sends,
		// is applied once
		String operation = UUID.randomUUID().toString();
		long deadline = System.nanoTime() + this.settings.blockTimeout().toNanos();
		long pause = 5;
		while (true) {
			long result = run(mode, key, value, operation);
			if (result == NOT_AN_INTEGER) {
				throw new IllegalArgumentException("Cannot increment key '" + key + "' of write-behind buffer '"
						+ this.name + "': its pending value is not an integer");
			}
			if (result != FULL) {
				this.metrics.write(this.name, (result == COALESCED) ? "coalesced" : "accepted");
				return;
			}
			if (this.settings.whenFull() == WhenFull.REJECT || System.nanoTime() - deadline >= 0) {
				this.metrics.write(this.name, "rejected");
				throw new WriteBehindFullException(this.name, this.settings.maxBacklog(), "Write-behind buffer '"
						+ this.name + "' holds its maximum backlog of " + this.settings.maxBacklog() + " keys"
						+ ((this.settings.whenFull() == WhenFull.BLOCK)
								? " and had no room within " + this.settings.blockTimeout() : "")
						+ "; the write was not buffered (redis-patterns.write-behind.max-backlog)");
			}
			// back off up to 100 ms: room appears when the flusher forms its next batch
			sleep(Math.min(pause, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
			pause = Math.min(pause * 2, 100);
		}
	}

	private long run(String mode, String key, String value, String operation) {
		Long result;
		try {
			result = this.scripts.run(WriteBehindScripts.WRITE, this.keys, mode, key, value, operation,
					this.replayWindowMillis, Long.toString(this.settings.maxBacklog()));
		}
		catch (RuntimeException ex) {
			throw RedisFailures.translate("Buffering a write in write-behind buffer '" + this.name + "'", ex);
		}
		return (result != null) ? result : NEW_KEY;
	}

	private void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisPatternsException("Interrupted while waiting for room in write-behind buffer '"
					+ this.name + "'; the write was not buffered", ex);
		}
	}

}
