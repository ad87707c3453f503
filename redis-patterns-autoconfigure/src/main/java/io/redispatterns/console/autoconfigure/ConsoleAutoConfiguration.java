package io.redispatterns.console.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.cache.internal.RedisCacheTemplate;
import io.redispatterns.console.ConsoleAuditLog;
import io.redispatterns.console.ConsoleController;
import io.redispatterns.console.ConsoleMetrics;
import io.redispatterns.console.ConsoleSection;
import io.redispatterns.console.ConsoleSecurity;
import io.redispatterns.console.ConsoleTokens;
import io.redispatterns.console.internal.CachesSection;
import io.redispatterns.console.internal.KeyspaceUnavailableSection;
import io.redispatterns.console.internal.LocksSection;
import io.redispatterns.console.internal.MicrometerConsoleMetrics;
import io.redispatterns.console.internal.QueuesSection;
import io.redispatterns.console.internal.RateLimitsSection;
import io.redispatterns.console.internal.SessionsSection;
import io.redispatterns.console.internal.StreamsSection;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.lock.internal.LockEndpointDetails;
import io.redispatterns.queue.DeadJobs;
import io.redispatterns.queue.JobQueues;
import io.redispatterns.queue.internal.JobWorkerContainer;
import io.redispatterns.queue.internal.JobWorkerRegistry;
import io.redispatterns.queue.internal.QueueKeys;
import io.redispatterns.ratelimit.RateLimiter;
import io.redispatterns.session.UserSessions;
import io.redispatterns.stream.StreamDeadLetters;
import io.redispatterns.stream.StreamListeners;
import io.redispatterns.stream.internal.StreamKeys;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Serves the operator console when {@code redis-patterns.console.enabled=true} in a servlet web
 * application: one {@link ConsoleSection} per pattern present, plus every {@link ConsoleSection}
 * bean of the application.
 */
@AutoConfiguration(after = RedisPatternsAutoConfiguration.class, afterName = {
		"io.redispatterns.queue.autoconfigure.JobQueueAutoConfiguration",
		"io.redispatterns.stream.autoconfigure.StreamAutoConfiguration",
		"io.redispatterns.lock.autoconfigure.LockAutoConfiguration",
		"io.redispatterns.ratelimit.autoconfigure.RateLimitAutoConfiguration",
		"io.redispatterns.cache.autoconfigure.RedisPatternsCacheAutoConfiguration",
		"io.redispatterns.session.autoconfigure.SessionIntegrationAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBooleanProperty(name = "redis-patterns.console.enabled")
@ConditionalOnBean({ RedisKeys.class, StringRedisTemplate.class })
@EnableConfigurationProperties(ConsoleProperties.class)
public final class ConsoleAutoConfiguration {

	private static final String PREFIX = "redis-patterns.console";

	private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

	private static final Log logger = LogFactory.getLog(ConsoleAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	ConsoleController redisPatternsConsoleController(ConsoleProperties properties,
			ObjectProvider<ConsoleSection> sections) {
		validate(properties);
		List<ConsoleSection> all = new ArrayList<>(sections.orderedStream().toList());
		Set<String> ids = new HashSet<>();
		for (ConsoleSection section : all) {
			if (!ids.add(section.id())) {
				throw new IllegalStateException("Two console sections have the id '" + section.id() + "'");
			}
		}
		if (!ids.contains("keyspace")) {
			all.add(new KeyspaceUnavailableSection());
		}
		if (!ConsoleSecurity.isSpringSecurityPresent()) {
			logger.warn("The redis-patterns console at " + properties.getPath()
					+ " has no Spring Security to check users: protect this path in front of the application");
		}
		return new ConsoleController(properties.getPath(), all, properties.isActionsEnabled(),
				new ConsoleSecurity(properties.getRequiredAuthority()), new ConsoleTokens(),
				new ConsoleAuditLog(Clock.systemUTC()));
	}

	private static void validate(ConsoleProperties properties) {
		if (!PATH.matcher(properties.getPath()).matches()) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + ".path", properties.getPath(),
					"a path such as /redis-patterns: '/'-separated letters, digits, '.', '_', '~', '-', no trailing '/'");
		}
		if (properties.getPageSize() < 1 || properties.getPageSize() > 500) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + ".page-size", properties.getPageSize(),
					"1 to 500");
		}
		if (properties.getSampleLimit() < 1 || properties.getSampleLimit() > 100_000) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + ".sample-limit", properties.getSampleLimit(),
					"1 to 100000");
		}
		Duration window = properties.getRecentWindow();
		if (window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(Duration.ofHours(1)) > 0) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + ".recent-window", window, "1m to 1h");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnBean(MeterRegistry.class)
		@ConditionalOnMissingBean
		MicrometerConsoleMetrics redisPatternsConsoleMetrics(MeterRegistry registry, ConsoleProperties properties) {
			// 30 samples per window: recent counts are accurate to a thirtieth of it
			Duration interval = properties.getRecentWindow().dividedBy(30);
			return new MicrometerConsoleMetrics(registry, Clock.systemUTC(), properties.getRecentWindow(), interval);
		}

	}

	private static ConsoleMetrics metrics(ObjectProvider<ConsoleMetrics> metrics) {
		return metrics.getIfAvailable(() -> ConsoleMetrics.NONE);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean({ JobQueues.class, DeadJobs.class, QueueKeys.class })
	static class QueuesConfiguration {

		@Bean
		QueuesSection redisPatternsConsoleQueues(JobQueues queues, DeadJobs deadJobs, QueueKeys keys,
				StringRedisTemplate redis, ObjectProvider<JobWorkerRegistry> registry,
				ObjectProvider<ConsoleMetrics> metrics, ConsoleProperties properties) {
			return new QueuesSection(queues, deadJobs, keys, redis, () -> {
				Set<String> names = new LinkedHashSet<>();
				JobWorkerRegistry workers = registry.getIfAvailable();
				if (workers != null) {
					for (JobWorkerContainer container : workers.containers()) {
						names.add(container.queue());
					}
				}
				names.addAll(properties.getQueues());
				return names;
			}, metrics(metrics), properties.getPageSize());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean({ StreamListeners.class, StreamDeadLetters.class, StreamKeys.class })
	static class StreamsConfiguration {

		@Bean
		StreamsSection redisPatternsConsoleStreams(StreamListeners listeners, StreamDeadLetters deadLetters,
				StreamKeys keys, StringRedisTemplate redis, ConsoleProperties properties) {
			return new StreamsSection(listeners, deadLetters, keys, redis, properties.getPageSize());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(LockTemplate.class)
	static class LocksConfiguration {

		@Bean
		LocksSection redisPatternsConsoleLocks(LockTemplate template, StringRedisTemplate redis,
				ObjectProvider<LockEndpointDetails> endpointDetails) {
			LockEndpointDetails details = endpointDetails.getIfAvailable(() -> new LockEndpointDetails(template, redis));
			return new LocksSection(details::describe);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(RateLimiter.class)
	static class RateLimitsConfiguration {

		@Bean
		RateLimitsSection redisPatternsConsoleRateLimits(RateLimiter rateLimiter,
				ObjectProvider<ConsoleMetrics> metrics) {
			return new RateLimitsSection(rateLimiter, metrics(metrics));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(RedisCacheTemplate.class)
	static class CachesConfiguration {

		@Bean
		CachesSection redisPatternsConsoleCaches(RedisCacheTemplate template, RedisKeys keys, StringRedisTemplate redis,
				ObjectProvider<ConsoleMetrics> metrics, ConsoleProperties properties) {
			return new CachesSection(template, keys, redis, metrics(metrics), properties.getPageSize(),
					properties.getSampleLimit());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.session.Session")
	@ConditionalOnBean(UserSessions.class)
	static class SessionsConfiguration {

		@Bean
		SessionsSection redisPatternsConsoleSessions(UserSessions sessions) {
			return new SessionsSection(sessions);
		}

	}

}
