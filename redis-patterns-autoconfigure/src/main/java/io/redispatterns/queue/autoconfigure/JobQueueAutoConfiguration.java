package io.redispatterns.queue.autoconfigure;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.LettuceCommandTimeout;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.queue.Backoff;
import io.redispatterns.queue.DeadJobs;
import io.redispatterns.queue.JobQueues;
import io.redispatterns.queue.internal.JobWorkerContainer;
import io.redispatterns.queue.internal.JobWorkerRegistry;
import io.redispatterns.queue.internal.QueueKeys;
import io.redispatterns.queue.internal.QueueMetrics;
import io.redispatterns.queue.internal.QueueSettings;
import io.redispatterns.queue.internal.RedisDeadJobs;
import io.redispatterns.queue.internal.RedisJobHandlerBeanPostProcessor;
import io.redispatterns.queue.internal.RedisJobQueues;
import io.redispatterns.ratelimit.RateLimitAlgorithm;
import io.redispatterns.ratelimit.RateLimitPolicy;
import io.redispatterns.ratelimit.RefillRate;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Auto-configuration of the redis-patterns job queue: {@link JobQueues}, {@link DeadJobs} and a worker
 * container per queue with {@link io.redispatterns.queue.RedisJobHandler @RedisJobHandler} methods. Turn it
 * off with {@code redis-patterns.queue.enabled=false}.
 */
@AutoConfiguration(after = RedisPatternsAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnBean({ RedisKeys.class, JsonCodec.class, RedisConnectionFactory.class, StringRedisTemplate.class })
@ConditionalOnBooleanProperty(name = "redis-patterns.queue.enabled", matchIfMissing = true)
@EnableConfigurationProperties(JobQueueProperties.class)
@Import({ JobQueueAutoConfiguration.MetricsConfiguration.class, JobQueueActuatorConfiguration.class })
public final class JobQueueAutoConfiguration {

	private static final String PREFIX = "redis-patterns.queue.";

	@Bean
	@ConditionalOnMissingBean
	QueueKeys redisPatternsQueueKeys(RedisKeys keys) {
		return new QueueKeys(keys);
	}

	@Bean
	QueueSettings redisPatternsQueueSettings(JobQueueProperties properties, RedisConnectionFactory connectionFactory) {
		return settings(properties, LettuceCommandTimeout.of(connectionFactory));
	}

	static QueueSettings settings(JobQueueProperties p, @Nullable Duration commandTimeout) {
		positive("concurrency", p.getConcurrency());
		positive("max-attempts", p.getMaxAttempts());
		positive("log-max-lines", p.getLogMaxLines());
		positive("lease", p.getLease());
		positive("stalled-check-interval", p.getStalledCheckInterval());
		positive("block", p.getBlock());
		Duration block = p.getBlock();
		if (commandTimeout != null && !commandTimeout.isZero() && block.compareTo(commandTimeout) >= 0) {
			// a blocking wait must end before the client gives up on it; half the timeout leaves room for latency
			block = commandTimeout.dividedBy(2);
		}
		notNegative("events-max-length", p.getEventsMaxLength());
		notNegative("retention.completed", p.getRetention().getCompleted());
		notNegative("retention.dead", p.getRetention().getDead());
		Backoff backoff;
		try {
			backoff = new Backoff(p.getBackoff().getInitial(), p.getBackoff().getMultiplier(), p.getBackoff().getMax(),
					p.getBackoff().getJitter());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "backoff", String.valueOf(ex.getMessage()),
					"0 <= initial <= max, multiplier >= 1, 0 <= jitter <= 1");
		}
		java.util.Map<String, RateLimitPolicy> rateLimits = new java.util.LinkedHashMap<>();
		p.getPerQueue().forEach((queue, settings) -> {
			RateLimitPolicy policy = rateLimit(queue, settings);
			if (policy != null) {
				rateLimits.put(queue, policy);
			}
		});
		return new QueueSettings(p.getConcurrency(), p.getMaxAttempts(), backoff, p.getLease(),
				p.getStalledCheckInterval(), block, p.getShutdownTimeout(), p.getRetention().getCompleted(),
				p.getRetention().getCompletedAge(), p.getRetention().getDead(), p.getRetention().getDeadAge(),
				p.getEventsMaxLength(), p.getDedupeWindow(), p.getLogMaxLines(), p.getReconnect().getInitial(),
				p.getReconnect().getMax(), rateLimits);
	}

	/**
	 * The rate limit of a queue as a policy of the rate-limit package, whose algorithms the take script runs; the
	 * token bucket holds {@code rate-limit} tokens refilled at {@code rate-limit} per {@code rate-period}.
	 */
	private static @Nullable RateLimitPolicy rateLimit(String queue, JobQueueProperties.PerQueue settings) {
		String property = "per-queue." + queue + ".";
		Integer limit = settings.getRateLimit();
		if (limit != null) {
			notNegative(property + "rate-limit", limit);
		}
		positive(property + "rate-period", settings.getRatePeriod());
		RateLimitAlgorithm algorithm = settings.getRateAlgorithm();
		if (limit == null || limit == 0) {
			return null;
		}
		RefillRate refill = (algorithm == RateLimitAlgorithm.TOKEN_BUCKET)
				? new RefillRate(limit, settings.getRatePeriod()) : null;
		Duration window = (algorithm == RateLimitAlgorithm.TOKEN_BUCKET) ? null : settings.getRatePeriod();
		String problem = RateLimitPolicy.problem(algorithm, limit, window, refill, 1);
		if (problem != null) {
			String attribute = problem.substring(0, problem.indexOf(':'));
			String name = switch (attribute) {
				case "limit", "capacity" -> "rate-limit";
				default -> "rate-period";
			};
			throw new InvalidRedisPatternsPropertyException(PREFIX + property + name,
					name.equals("rate-limit") ? limit : settings.getRatePeriod(),
					problem.substring(problem.indexOf(':') + 1).trim().replaceFirst("^must be ", ""));
		}
		// the window is the rate period for every algorithm but the token bucket, which has a refill instead
		return (refill != null) ? RateLimitPolicy.tokenBucket("queue:" + queue, limit, refill)
				: RateLimitPolicy.of("queue:" + queue, algorithm, limit, settings.getRatePeriod());
	}

	private static void positive(String property, long value) {
		if (value <= 0) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + property, value, "a positive number");
		}
	}

	private static void notNegative(String property, long value) {
		if (value < 0) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + property, value, "0 or more");
		}
	}

	private static void positive(String property, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + property, value, "a positive duration");
		}
	}

	@Bean
	@ConditionalOnMissingBean
	JobQueues redisPatternsJobQueues(StringRedisTemplate redis, QueueKeys keys, JsonCodec codec,
			ObjectProvider<QueueMetrics> metrics, ObjectProvider<ObservationRegistry> observations) {
		return new RedisJobQueues(redis, keys, codec, metrics.getIfAvailable(() -> QueueMetrics.NONE),
				observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	@Bean
	@ConditionalOnMissingBean
	DeadJobs redisPatternsDeadJobs(StringRedisTemplate redis, QueueKeys keys) {
		return new RedisDeadJobs(redis, keys);
	}

	@Bean(destroyMethod = "destroy")
	@ConditionalOnMissingBean
	JobWorkerRegistry redisPatternsJobWorkerRegistry(QueueSettings settings, RedisConnectionFactory connectionFactory,
			StringRedisTemplate redis, QueueKeys keys, JsonCodec codec, ObjectProvider<QueueMetrics> metrics,
			ApplicationEventPublisher events, ObjectProvider<ObservationRegistry> observations) {
		ObservationRegistry observationRegistry = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
		QueueMetrics queueMetrics = metrics.getIfAvailable(() -> QueueMetrics.NONE);
		String instance = instanceName();
		return new JobWorkerRegistry((queue, handlers, scheduler) -> new JobWorkerContainer(queue, handlers, settings,
				connectionFactory, redis, keys, codec, queueMetrics, events, scheduler, instance, observationRegistry));
	}

	private static String instanceName() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			host = "host";
		}
		return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static RedisJobHandlerBeanPostProcessor redisPatternsJobHandlerBeanPostProcessor(
			ObjectProvider<JobWorkerRegistry> registry, ObjectProvider<QueueSettings> settings) {
		return new RedisJobHandlerBeanPostProcessor(registry, settings);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		QueueMetrics redisPatternsQueueMetrics(MeterRegistry registry) {
			return new MicrometerQueueMetrics(registry);
		}

	}

}
