package io.redispatterns.console.autoconfigure;

import io.redispatterns.console.ConsoleController;
import io.redispatterns.console.ConsolePage;
import io.redispatterns.console.ConsoleSection;
import io.redispatterns.console.ConsoleTokens;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.RedisKeys;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the console is served, how its path is validated, and how an application's own section
 * (a keyspace analysis) takes the place of the built-in "not available" page.
 */
class ConsoleAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ConsoleAutoConfiguration.class))
		.withUserConfiguration(RedisBeans.class);

	@Test
	void isOffByDefault() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ConsoleController.class));
	}

	@Test
	void isServedWhenEnabledWithAKeyspacePageThatSaysItIsUnavailable() {
		this.runner.withPropertyValues("redis-patterns.console.enabled=true").run((context) -> {
			ConsoleController controller = context.getBean(ConsoleController.class);
			assertThat(controller.sections()).extracting(ConsoleSection::id).containsExactly("keyspace");
		});
	}

	@Test
	void isNotServedOutsideAServletWebApplication() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ConsoleAutoConfiguration.class))
			.withUserConfiguration(RedisBeans.class)
			.withPropertyValues("redis-patterns.console.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(ConsoleController.class));
	}

	@Test
	void anApplicationsKeyspaceSectionReplacesTheBuiltInPage() {
		this.runner.withPropertyValues("redis-patterns.console.enabled=true")
			.withBean("keyspaceSection", ConsoleSection.class, KeyspaceAnalysisSection::new)
			.run((context) -> assertThat(context.getBean(ConsoleController.class).sections())
				.singleElement()
				.isInstanceOf(KeyspaceAnalysisSection.class));
	}

	@Test
	void anInvalidPathFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis-patterns.console.enabled=true", "redis-patterns.console.path=ops/")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("redis-patterns.console.path"));
	}

	@Test
	void anInvalidPageSizeFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis-patterns.console.enabled=true", "redis-patterns.console.page-size=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("redis-patterns.console.page-size"));
	}

	@Test
	void tokensAreUnguessableAndNoticesSigned() {
		ConsoleTokens tokens = new ConsoleTokens();
		assertThat(tokens.newToken()).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(tokens.newToken());
		assertThat(tokens.verified("Done", tokens.sign("Done"))).isEqualTo("Done");
		assertThat(tokens.verified("Done", new ConsoleTokens().sign("Done"))).isNull();
	}

	@Configuration(proxyBeanMethods = false)
	static class RedisBeans {

		@Bean
		RedisKeys redisKeys() {
			return new RedisKeys("t");
		}

		@Bean
		StringRedisTemplate stringRedisTemplate() {
			// never connected: the console reads Redis only when a page is shown
			return new StringRedisTemplate(new LettuceConnectionFactory());
		}

	}

	static class KeyspaceAnalysisSection implements ConsoleSection {

		@Override
		public String id() {
			return "keyspace";
		}

		@Override
		public String title() {
			return "Keyspace";
		}

		@Override
		public void render(ConsolePage page) {
			page.heading("Keyspace");
		}

	}

}
