package io.redispatterns.queue.internal;

import java.lang.reflect.Method;

import io.redispatterns.core.AnnotatedMethodBeanPostProcessor;
import io.redispatterns.queue.JobId;
import io.redispatterns.queue.RedisJobHandler;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Internal: finds {@link RedisJobHandler @RedisJobHandler} methods on beans and registers them with the
 * {@link JobWorkerRegistry}.
 */
public final class RedisJobHandlerBeanPostProcessor extends AnnotatedMethodBeanPostProcessor<RedisJobHandler> {

	private final ObjectProvider<JobWorkerRegistry> registry;

	private final ObjectProvider<QueueSettings> settings;

	public RedisJobHandlerBeanPostProcessor(ObjectProvider<JobWorkerRegistry> registry,
			ObjectProvider<QueueSettings> settings) {
		super(RedisJobHandler.class);
		this.registry = registry;
		this.settings = settings;
	}

	@Override
	protected void register(Object bean, Method method, RedisJobHandler annotation) {
		QueueSettings defaults = this.settings.getObject();
		JobHandlerMethod handler = new JobHandlerMethod(bean, method);
		String queue = resolve(annotation.queue());
		String name = resolve(annotation.name());
		if (queue == null || queue.isBlank() || name == null || name.isBlank()) {
			throw new IllegalStateException("@RedisJobHandler " + handler.description()
					+ " needs a non-blank queue and name");
		}
		if (annotation.concurrency() < 0 || annotation.maxAttempts() < 0) {
			throw new IllegalStateException("@RedisJobHandler " + handler.description()
					+ ": concurrency and maxAttempts must not be negative");
		}
		int concurrency = (annotation.concurrency() > 0) ? annotation.concurrency() : defaults.concurrency();
		int maxAttempts = (annotation.maxAttempts() > 0) ? annotation.maxAttempts() : defaults.maxAttempts();
		RepeatSchedule schedule = schedule(annotation, handler);
		if (schedule != null) {
			requireRepeatIdOf(name, handler);
		}
		this.registry.getObject()
			.register(queue, new JobHandlerBinding(name, handler, concurrency, maxAttempts, schedule));
	}

	/**
	 * A repeatable job's ticks get the id {@code repeat:<name>:<tick>}: its name must fit a {@link JobId}, whose
	 * characters exclude the separator of a lease ({@code <id>|<start>|<token>}, {@code lease.lua}).
	 */
	private static void requireRepeatIdOf(String name, JobHandlerMethod handler) {
		try {
			JobId.of("repeat:" + name + ":" + Long.MAX_VALUE);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("@RedisJobHandler " + handler.description() + " repeats jobs named '" + name
					+ "', which cannot be part of their job ids 'repeat:<name>:<tick>': " + ex.getMessage(), ex);
		}
	}

	private @org.jspecify.annotations.Nullable RepeatSchedule schedule(RedisJobHandler annotation,
			JobHandlerMethod handler) {
		String cron = resolve(annotation.cron());
		String every = resolve(annotation.every());
		boolean hasCron = cron != null && !cron.isBlank();
		boolean hasEvery = every != null && !every.isBlank();
		if (hasCron && hasEvery) {
			throw new IllegalStateException(
					"@RedisJobHandler " + handler.description() + " sets both cron and every; choose one");
		}
		try {
			// the null checks repeat hasCron and hasEvery for NullAway, which does not follow booleans
			if (hasCron && cron != null) {
				return new RepeatSchedule(org.springframework.scheduling.support.CronExpression.parse(cron), null);
			}
			if (hasEvery && every != null) {
				java.time.Duration interval = org.springframework.boot.convert.DurationStyle.detectAndParse(every);
				if (interval.toMillis() <= 0) {
					throw new IllegalArgumentException("must be positive");
				}
				return new RepeatSchedule(null, interval);
			}
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("@RedisJobHandler " + handler.description() + " has an invalid "
					+ (hasCron ? "cron '" + cron : "every '" + every) + "': " + ex.getMessage(), ex);
		}
		return null;
	}

}
