package io.redispatterns.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.EndpointSection;
import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.RedisMode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The {@code redispatterns} Actuator endpoint, shared by all patterns: the key prefix, the
 * connection mode, and each pattern's {@link PatternEndpointDetails} (policies, caches, locks,
 * listeners).
 */
@Endpoint(id = "redispatterns")
public class RedisPatternsEndpoint {

	private final RedisConnectionFactory connectionFactory;

	private final RedisKeys keys;

	private final List<PatternEndpointDetails> patterns;

	private final List<EndpointSection> sections;

	/**
	 * Creates the endpoint.
	 * @param connectionFactory the application's connection factory
	 * @param keys the key builder
	 * @param patterns the patterns' contributions
	 */
	public RedisPatternsEndpoint(RedisConnectionFactory connectionFactory, RedisKeys keys,
			List<PatternEndpointDetails> patterns) {
		this(connectionFactory, keys, patterns, List.of());
	}

	/**
	 * Creates the endpoint with sections served on request.
	 * @param connectionFactory the application's connection factory
	 * @param keys the key builder
	 * @param patterns the patterns' contributions
	 * @param sections the sections served at {@code /actuator/redispatterns/<name>}
	 */
	public RedisPatternsEndpoint(RedisConnectionFactory connectionFactory, RedisKeys keys,
			List<PatternEndpointDetails> patterns, List<EndpointSection> sections) {
		this.connectionFactory = connectionFactory;
		this.keys = keys;
		this.patterns = List.copyOf(patterns);
		this.sections = List.copyOf(sections);
	}

	/**
	 * Describes redis-patterns in this application.
	 * @return the key prefix, mode and one entry per pattern
	 */
	@ReadOperation
	public Map<String, Object> describe() {
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("keyPrefix", this.keys.prefix());
		description.put("mode", RedisMode.of(this.connectionFactory).displayName());
		Map<String, Object> patternDescriptions = new LinkedHashMap<>();
		for (PatternEndpointDetails pattern : this.patterns) {
			patternDescriptions.put(pattern.patternName(), pattern.describe());
		}
		description.put("patterns", patternDescriptions);
		return description;
	}

	/**
	 * Serves one section: an on-request section such as {@code keyspace}, or one pattern's part of
	 * the overview, such as {@code lock}.
	 * @param name the section or pattern name
	 * @return the section, or {@code null} (404) when there is none of that name
	 */
	@ReadOperation
	public @Nullable Object section(@Selector String name) {
		for (EndpointSection section : this.sections) {
			if (section.sectionName().equals(name)) {
				return section.report();
			}
		}
		for (PatternEndpointDetails pattern : this.patterns) {
			if (pattern.patternName().equals(name)) {
				return pattern.describe();
			}
		}
		return null;
	}

}
