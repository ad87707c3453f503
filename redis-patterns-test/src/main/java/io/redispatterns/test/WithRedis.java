package io.redispatterns.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a real Redis deployment.
 * <p>
 * With JUnit Jupiter, {@link RedisExtension} provides the deployment:
 * <ul>
 * <li>as a parameter of type {@link RedisDeployment} or the subtype that matches the topology
 * ({@link StandaloneRedis}, {@link SentinelRedis}, {@link ClusterRedis}) in constructors, lifecycle methods
 * and test methods;</li>
 * <li>in every non-final field (static or instance, also inherited) whose type is {@link RedisDeployment} or
 * such a subtype — no extra annotation is needed.</li>
 * </ul>
 * With Spring's TestContext framework ({@code @SpringBootTest}), the deployment's
 * {@code DataRedisConnectionDetails} is registered as a bean, so Spring Boot connects to it without any
 * {@code spring.data.redis.*} property. {@code @Nested} classes inherit the deployment of their enclosing class.
 */
@Target({ ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RedisExtension.class)
public @interface WithRedis {

	/** Shape of the deployment to run against. */
	RedisTopology topology() default RedisTopology.STANDALONE;

	/**
	 * Whether to use the deployment shared by all test classes of the JVM ({@link EmbeddedRedis#shared}),
	 * rather than one started for this test class and closed after it. Tests that kill nodes or change
	 * the topology should use {@code false}.
	 */
	boolean shared() default true;

}
