package io.redispatterns.writebehind.internal;

import java.lang.reflect.Method;
import java.time.Duration;

import io.redispatterns.core.AnnotatedMethodBeanPostProcessor;
import io.redispatterns.writebehind.WriteBehindFlush;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.convert.DurationStyle;

/**
 * Internal: finds {@link WriteBehindFlush @WriteBehindFlush} methods on beans and registers them with the
 * {@link WriteBehindFlushers}. An unusable annotation stops start-up naming the method.
 */
public final class WriteBehindFlushBeanPostProcessor extends AnnotatedMethodBeanPostProcessor<WriteBehindFlush> {

	/** Upper bound of maxBatch: a batch is one script reply and one Lua call with that many arguments. */
	public static final int MAX_BATCH_LIMIT = 5000;

	private final ObjectProvider<WriteBehindFlushers> flushers;

	public WriteBehindFlushBeanPostProcessor(ObjectProvider<WriteBehindFlushers> flushers) {
		super(WriteBehindFlush.class);
		this.flushers = flushers;
	}

	@Override
	protected void register(Object bean, Method method, WriteBehindFlush annotation) {
		FlushMethod flush = new FlushMethod(bean, method);
		String buffer = resolve(annotation.buffer());
		if (buffer == null || buffer.isBlank()) {
			throw new IllegalStateException("@WriteBehindFlush " + flush.description() + " needs a non-blank buffer");
		}
		if (annotation.maxBatch() < 1 || annotation.maxBatch() > MAX_BATCH_LIMIT) {
			throw new IllegalStateException("@WriteBehindFlush " + flush.description() + " has maxBatch "
					+ annotation.maxBatch() + "; allowed: 1 to " + MAX_BATCH_LIMIT);
		}
		this.flushers.getObject()
			.register(new FlushBinding(buffer, flush, annotation.maxBatch(), every(annotation, flush)));
	}

	private Duration every(WriteBehindFlush annotation, FlushMethod flush) {
		String every = resolve(annotation.every());
		try {
			Duration interval = DurationStyle.detectAndParse((every != null) ? every : "");
			if (interval.toMillis() <= 0) {
				throw new IllegalArgumentException("must be positive");
			}
			return interval;
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("@WriteBehindFlush " + flush.description() + " has an invalid every '"
					+ every + "': " + ex.getMessage(), ex);
		}
	}

}
