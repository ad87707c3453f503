package io.redispatterns.test.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when none of the {@code spring.data.redis.*} properties that name a server is set.
 */
class OnNoRedisConnectionPropertiesCondition extends SpringBootCondition {

	static final List<String> CONNECTION_PROPERTIES = List.of("spring.data.redis.url", "spring.data.redis.host", "spring.data.redis.port",
			"spring.data.redis.sentinel.nodes", "spring.data.redis.cluster.nodes");

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		List<String> found = CONNECTION_PROPERTIES.stream().filter(environment::containsProperty).toList();
		ConditionMessage.Builder message = ConditionMessage.forCondition("Embedded Redis");
		if (!found.isEmpty()) {
			return ConditionOutcome.noMatch(message.found("Redis connection property", "Redis connection properties")
				.items(found));
		}
		return ConditionOutcome.match(message.didNotFind("Redis connection property", "Redis connection properties")
			.items(CONNECTION_PROPERTIES));
	}

}
