package io.redispatterns.stream;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the handler of a Redis stream for one consumer group.
 * <p>
 * The method's payload parameter (the first parameter that is neither a {@link StreamDelivery} nor annotated
 * with {@link StreamHeader @StreamHeader} or Spring Messaging's {@code @Header}; Spring Messaging's
 * {@code @Payload} may mark it) receives the entry's JSON payload decoded with the application's
 * {@link io.redispatterns.core.JsonCodec} into its declared (possibly generic) type. A {@link StreamDelivery}
 * parameter receives the entry id, the attempt number and the headers; {@code @StreamHeader("type")} parameters
 * receive single headers.
 * <pre class="code">
 * &#64;RedisStreamListener(stream = "orders", group = "billing", concurrency = 4, maxDeliveries = 5)
 * void on(OrderPlaced event, StreamDelivery delivery) { ... }
 * </pre>
 * Entries are read in batches ({@code redis-patterns.stream.batch-size}); with {@code concurrency = 1} the
 * method runs on the container's reading thread. An entry is acknowledged after the method returns, together
 * with the other entries of its batch (one {@code XACK}); a crash before that delivers them again. When the
 * method throws, the entry is not acknowledged and is
 * delivered again after the retry back-off; after {@link #maxDeliveries()} deliveries it is moved to the
 * dead-letter stream. Every attribute left at its default takes the {@code redis-patterns.stream.*} value.
 * String attributes may use {@code ${...}} placeholders.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RedisStreamListener {

	/**
	 * Logical stream name, such as {@code orders}; the Redis key is built under the key prefix.
	 * @return the stream name
	 */
	String stream();

	/**
	 * Consumer group; created on start ({@code MKSTREAM}) when it does not exist.
	 * @return the group name
	 */
	String group();

	/**
	 * Number of entries handled at the same time by this instance; {@code -1} uses
	 * {@code redis-patterns.stream.concurrency}.
	 * @return the concurrency
	 */
	int concurrency() default -1;

	/**
	 * Deliveries after which a failing entry is dead-lettered; {@code -1} uses
	 * {@code redis-patterns.stream.max-deliveries}.
	 * @return the maximum number of deliveries
	 */
	int maxDeliveries() default -1;

	/**
	 * Idle time after which another consumer takes over a pending entry, such as {@code "30s"}; empty uses
	 * {@code redis-patterns.stream.claim-idle}. Must exceed the slowest handler's run time.
	 * @return the claim idle time
	 */
	String claimIdle() default "";

	/**
	 * Back-off before a failed entry is delivered again, such as {@code "1s"}; it grows with
	 * {@code redis-patterns.stream.retry.multiplier}. Empty uses {@code redis-patterns.stream.retry.initial}.
	 * @return the initial retry back-off
	 */
	String retryBackoff() default "";

	/**
	 * Where a newly created group starts: {@code latest} (only new entries, {@code $}) or {@code earliest}
	 * (the whole stream, {@code 0}); empty uses {@code redis-patterns.stream.start-from}.
	 * @return the start position
	 */
	String startFrom() default "";

	/**
	 * How often this listener looks for entries to take over, such as {@code "5s"}; empty uses
	 * {@code redis-patterns.stream.claim-interval}.
	 * @return the claim interval
	 */
	String claimInterval() default "";

	/**
	 * Longest time one {@code XREADGROUP} call blocks, such as {@code "2s"}; empty uses
	 * {@code redis-patterns.stream.block}.
	 * @return the block time
	 */
	String block() default "";

	/**
	 * Longest time shutdown waits for this listener's in-flight handlers, such as {@code "30s"}; empty uses
	 * {@code redis-patterns.stream.shutdown-timeout}.
	 * @return the shutdown timeout
	 */
	String shutdownTimeout() default "";

	/**
	 * Id of this listener in {@link StreamListeners}, such as {@code "billing"}; empty uses
	 * {@code <stream>-<group>} (for example {@code orders-billing}). Unique among the application's listeners.
	 * @return the listener id
	 */
	String id() default "";

	/**
	 * Whether the listener starts with the application context, {@code "true"} or {@code "false"} (or a
	 * placeholder resolving to one); empty means {@code "true"}. A listener that does not start automatically
	 * is started with {@link StreamListenerHandle#start()}; its group is created only then, so with
	 * {@code startFrom = "latest"} a group that does not exist yet skips the entries published before.
	 * @return whether the listener starts automatically
	 */
	String autoStartup() default "";

}
