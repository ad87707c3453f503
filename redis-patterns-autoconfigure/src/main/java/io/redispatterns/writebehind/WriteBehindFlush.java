package io.redispatterns.writebehind;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method that persists the batches of a write-behind buffer. The method takes one
 * {@link WriteBehindBatch} parameter, whose type argument is the value type; the batch is
 * acknowledged (removed from Redis) only after the method returns, so a flush that throws, or an
 * application killed while the method runs, flushes the same batch again: same
 * {@link WriteBehindBatch#id() id}, same items. Make the method idempotent by that id — record it in
 * the same database transaction as the data and skip a batch whose id is already recorded — and every
 * write is persisted exactly once.
 * <pre class="code">
 * &#64;WriteBehindFlush(buffer = "page-views", maxBatch = 500, every = "5s")
 * void persist(WriteBehindBatch&lt;Long&gt; batch) { ... }
 * </pre>
 * One method per buffer. At most one batch of a buffer is in flight at a time, across all instances
 * (it carries a renewed lease), so batches are persisted in order.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WriteBehindFlush {

	/**
	 * The buffer; placeholders are resolved.
	 * @return the buffer name
	 */
	String buffer();

	/**
	 * Most keys per batch.
	 * @return the batch size limit
	 */
	int maxBatch() default 500;

	/**
	 * How often the buffer is flushed (such as {@code 5s}; placeholders are resolved). A flush hands out
	 * batches until the buffer is empty; a full batch is followed by the next one at once.
	 * @return the flush interval
	 */
	String every() default "5s";

}
