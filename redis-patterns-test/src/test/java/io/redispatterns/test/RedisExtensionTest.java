package io.redispatterns.test;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@WithRedis
class RedisExtensionTest {

	static RedisDeployment staticDeployment;

	StandaloneRedis instanceDeployment;

	private final RedisDeployment constructorDeployment;

	RedisExtensionTest(RedisDeployment constructorDeployment) {
		this.constructorDeployment = constructorDeployment;
	}

	@BeforeAll
	static void staticFieldIsInjectedBeforeAll(StandaloneRedis parameter) {
		assertThat(staticDeployment).isSameAs(parameter);
	}

	@Test
	void injectsTheSharedDeploymentEverywhere(StandaloneRedis parameter) {
		assertThat(parameter).isSameAs(EmbeddedRedis.shared(RedisTopology.STANDALONE));
		assertThat(this.instanceDeployment).isSameAs(parameter);
		assertThat(this.constructorDeployment).isSameAs(parameter);
		assertThat(staticDeployment).isSameAs(parameter);
		assertThat(parameter.node().<String>execute((commands) -> commands.ping())).isEqualTo("PONG");
	}

	@Nested
	class NestedClass {

		RedisDeployment nestedField;

		@Test
		void inheritsTheDeploymentOfTheEnclosingClass(RedisDeployment parameter) {
			assertThat(this.nestedField).isSameAs(parameter).isSameAs(RedisExtensionTest.this.instanceDeployment);
		}

	}

}
