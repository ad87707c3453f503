package io.redispatterns.stream.autoconfigure;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;

import io.redispatterns.core.AnnotationValues;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.stream.RedisStreamListener;
import io.redispatterns.stream.internal.ListenerSettings;
import io.redispatterns.stream.internal.StreamListenerRegistry;
import org.jspecify.annotations.Nullable;


/**
 * Validates {@code redis-patterns.stream.*} and merges annotation attributes over it.
 */
final class StreamListenerSettingsResolver {

	private static final String PREFIX = "redis-patterns.stream.";

	private final StreamProperties properties;

	private final String consumerName;

	private final boolean virtualThreads;

	private final @Nullable Duration commandTimeout;

	/**
	 * @param commandTimeout the Redis client's command timeout when it also bounds blocking commands (Lettuce:
	 * {@code spring.data.redis.timeout}, 60 s when unset), else {@code null}
	 */
	StreamListenerSettingsResolver(StreamProperties properties, boolean virtualThreads,
			@Nullable Duration commandTimeout) {
		validate(properties);
		this.commandTimeout = commandTimeout;
		this.properties = properties;
		this.consumerName = (properties.getConsumerName() != null) ? properties.getConsumerName()
				: defaultConsumerName();
		this.virtualThreads = virtualThreads;
	}

	/**
	 * A blocking {@code XREADGROUP} is bounded by the client's command timeout: a block time that is not shorter
	 * makes every idle read time out, and the container would reconnect forever.
	 */
	private void shorterThanCommandTimeout(String property, Duration block) {
		Duration timeout = this.commandTimeout;
		if (timeout != null && !timeout.isZero() && !timeout.isNegative() && block.compareTo(timeout) >= 0) {
			throw new InvalidRedisPatternsPropertyException(property, block,
					"a duration shorter than the Redis command timeout (spring.data.redis.timeout, or redis-patterns.client.command-timeout when unset; here " + timeout
							+ "), which also bounds the blocking XREADGROUP; lower the block time or raise the timeout");
		}
	}

	String consumerName() {
		return this.consumerName;
	}

	static void validate(StreamProperties p) {
		range(PREFIX + "concurrency", p.getConcurrency(), 1, 1024);
		range(PREFIX + "batch-size", p.getBatchSize(), 1, 10_000);
		range(PREFIX + "max-deliveries", p.getMaxDeliveries(), 1, 1_000_000);
		positive(PREFIX + "claim-idle", p.getClaimIdle());
		positive(PREFIX + "claim-interval", p.getClaimInterval());
		positive(PREFIX + "block", p.getBlock());
		positive(PREFIX + "shutdown-timeout", p.getShutdownTimeout());
		positive(PREFIX + "idempotency-window", p.getIdempotencyWindow());
		if (p.getReplayWindow().isNegative()) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "replay-window", p.getReplayWindow(),
					"0 (no replay protection) or a positive duration");
		}
		positive(PREFIX + "retry.initial", p.getRetry().getInitial());
		positive(PREFIX + "retry.max", p.getRetry().getMax());
		positive(PREFIX + "reconnect.initial", p.getReconnect().getInitial());
		positive(PREFIX + "reconnect.max", p.getReconnect().getMax());
		if (p.getRetry().getMultiplier() < 1.0) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "retry.multiplier", p.getRetry().getMultiplier(),
					"a number >= 1.0");
		}
		if (p.getMaxLength() < 0) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "max-length", p.getMaxLength(),
					"0 (no trimming) or a positive number");
		}
		if (p.getDeadLetterMaxLength() < 0) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "dead-letter-max-length",
					p.getDeadLetterMaxLength(), "0 (no trimming) or a positive number");
		}
		p.getPerStream().forEach((name, stream) -> {
			if (stream.getMaxLength() != null && stream.getMaxLength() < 0) {
				throw new InvalidRedisPatternsPropertyException(PREFIX + "per-stream." + name + ".max-length",
						stream.getMaxLength(), "0 (no trimming) or a positive number");
			}
		});
		if (p.getDeadLetterSuffix().isEmpty() || !RedisKeys.escape(p.getDeadLetterSuffix()).equals(p.getDeadLetterSuffix())) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "dead-letter-suffix", p.getDeadLetterSuffix(),
					"a non-empty word of letters, digits, '.', '_', '-'");
		}
		if (p.getConsumerName() != null && p.getConsumerName().isBlank()) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "consumer-name", p.getConsumerName(),
					"a non-blank name, unique per instance");
		}
	}

	long maxLength(String stream) {
		StreamProperties.PerStream perStream = this.properties.getPerStream().get(stream);
		return (perStream != null && perStream.getMaxLength() != null) ? perStream.getMaxLength()
				: this.properties.getMaxLength();
	}

	ListenerSettings resolve(RedisStreamListener annotation, String handler, Function<String, String> resolver) {
		String where = "@RedisStreamListener on " + handler;
		AnnotationValues values = new AnnotationValues(resolver::apply, null);
		String stream = values.resolve(annotation.stream());
		String group = values.resolve(annotation.group());
		if (stream.isBlank()) {
			throw new InvalidRedisPatternsPropertyException(where + " (stream)", String.valueOf(stream),
					"a non-empty stream name");
		}
		if (group.isBlank()) {
			throw new InvalidRedisPatternsPropertyException(where + " (group)", String.valueOf(group),
					"a non-empty group name");
		}
		StreamProperties p = this.properties;
		int concurrency = (annotation.concurrency() == -1) ? p.getConcurrency() : annotation.concurrency();
		range(where + " (concurrency)", concurrency, 1, 1024);
		int maxDeliveries = (annotation.maxDeliveries() == -1) ? p.getMaxDeliveries() : annotation.maxDeliveries();
		range(where + " (maxDeliveries)", maxDeliveries, 1, 1_000_000);
		Duration claimIdle = duration(values, where, "claimIdle", annotation.claimIdle(), p.getClaimIdle());
		Duration retry = duration(values, where, "retryBackoff", annotation.retryBackoff(), p.getRetry().getInitial());
		String startFrom = values.resolve(annotation.startFrom());
		boolean earliest;
		if (startFrom.isBlank()) {
			earliest = p.getStartFrom() == StreamProperties.StartFrom.EARLIEST;
		}
		else if (startFrom.equalsIgnoreCase("earliest") || startFrom.equals("0")) {
			earliest = true;
		}
		else if (startFrom.equalsIgnoreCase("latest") || startFrom.equals("$")) {
			earliest = false;
		}
		else {
			throw new InvalidRedisPatternsPropertyException(where + " (startFrom)", startFrom,
					"'latest' or 'earliest'");
		}
		return new ListenerSettings(stream, group, this.consumerName, concurrency, maxDeliveries, claimIdle,
				duration(values, where, "claimInterval", annotation.claimInterval(), p.getClaimInterval()),
				retry, p.getRetry().getMultiplier(), p.getRetry().getMax(),
				block(values, where, annotation.block(), p.getBlock()), earliest,
				duration(values, where, "shutdownTimeout", annotation.shutdownTimeout(), p.getShutdownTimeout()), p.getReconnect().getInitial(), p.getReconnect().getMax(),
				p.getDeadLetterMaxLength(), this.virtualThreads, p.isCheckTypeHeader(), p.getBatchSize());
	}

	/** The listener's id: the annotation's {@code id}, else {@code <stream>-<group>}. */
	String id(RedisStreamListener annotation, ListenerSettings settings, Function<String, String> resolver) {
		String id = new AnnotationValues(resolver::apply, null).text(annotation.id());
		return (id != null) ? id : StreamListenerRegistry.defaultId(settings);
	}

	/** Whether the listener starts with the context: the annotation's {@code autoStartup}, {@code true} when blank. */
	boolean autoStartup(RedisStreamListener annotation, String handler, Function<String, String> resolver) {
		String value = new AnnotationValues(resolver::apply, null).text(annotation.autoStartup());
		if (value == null || value.equalsIgnoreCase("true")) {
			return true;
		}
		if (value.equalsIgnoreCase("false")) {
			return false;
		}
		throw new InvalidRedisPatternsPropertyException("@RedisStreamListener on " + handler + " (autoStartup)", value,
				"'true' or 'false'");
	}

	private Duration block(AnnotationValues values, String where, String raw, Duration fallback) {
		Duration own = values.duration(raw, "block", where);
		Duration block = (own != null) ? own : fallback;
		if (own != null) {
			positive(where + " (block)", own);
		}
		// checked per listener: an application without stream listeners never blocks
		shorterThanCommandTimeout((own != null) ? where + " (block)" : PREFIX + "block", block);
		return block;
	}

	/**
	 * Returns an annotation's duration attribute (placeholders resolved, blank = unset), else the
	 * configured fallback.
	 */
	private static Duration duration(AnnotationValues values, String where, String attribute, String raw,
			Duration fallback) {
		Duration duration = values.duration(raw, attribute, where);
		if (duration == null) {
			return fallback;
		}
		positive(where + " (" + attribute + ")", duration);
		return duration;
	}

	private static void range(String property, int value, int min, int max) {
		if (value < min || value > max) {
			throw new InvalidRedisPatternsPropertyException(property, value, "a number from " + min + " to " + max);
		}
	}

	private static void positive(String property, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidRedisPatternsPropertyException(property, value, "a positive duration such as '500ms' or '30s'");
		}
	}

	private static String defaultConsumerName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			host = "host";
		}
		long pid = ManagementFactory.getRuntimeMXBean().getPid();
		return host + "-" + pid + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
