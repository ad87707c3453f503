package io.redispatterns.idempotency;

import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import io.redispatterns.idempotency.internal.IdempotencyFilter;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The meters of every {@code @Idempotent} handler exist at zero as soon as the application has started, with the
 * tags its requests use, so that a dashboard or alert works before the first request; the first request then
 * counts on the same meter instead of adding a second series.
 */
@WithRedis
class IdempotencyMetersAtStartupTests {

	private RedisDeployment redis;

	@RestController
	static class PaymentController {

		@Idempotent
		@PostMapping("/payments")
		Map<String, String> pay() {
			return Map.of("payment", "accepted");
		}

		@Idempotent(name = "refunds")
		@PostMapping("/refunds")
		Map<String, String> refund() {
			return Map.of("refund", "accepted");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Application {

		@Bean
		PaymentController paymentController() {
			return new PaymentController();
		}

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Test
	void handlerMetersExistAtZeroFromStartUpAndTheFirstRequestCountsOnThem() {
		new WebApplicationContextRunner().withBean(DataRedisConnectionDetails.class, this.redis::connectionDetails)
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					HttpMessageConvertersAutoConfiguration.class, WebMvcAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, IdempotencyAutoConfiguration.class))
			.withUserConfiguration(Application.class)
			.withPropertyValues("redis-patterns.key-prefix=idemmeters")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				for (String name : new String[] { "refunds", "PaymentController.pay" }) {
					for (IdempotencyMetrics.Outcome outcome : IdempotencyMetrics.Outcome.values()) {
						assertThat(requests(registry, name, outcome.value())).as(name + " " + outcome).isZero();
					}
					assertThat(count(registry, "redis.patterns.idempotency.store.failures", name)).isZero();
					assertThat(count(registry, "redis.patterns.idempotency.lease.renewals", name)).isZero();
				}

				MockMvc mvc = MockMvcBuilders.webAppContextSetup(context)
					.addFilters(context.getBean(IdempotencyFilter.class))
					.build();
				mvc.perform(post("/payments").header("Idempotency-Key", UUID.randomUUID().toString()))
					.andExpect(status().isOk());
				assertThat(requests(registry, "PaymentController.pay", "first")).isEqualTo(1);
				assertThat(registry.find("redis.patterns.idempotency.requests")
					.tag("name", "PaymentController.pay")
					.counters()).hasSize(IdempotencyMetrics.Outcome.values().length);
			});
	}

	private static double count(MeterRegistry registry, String meter, String name) {
		return registry.get(meter).tag("name", name).counter().count();
	}

	private static double requests(MeterRegistry registry, String name, String outcome) {
		return registry.get("redis.patterns.idempotency.requests")
			.tags("name", name, "outcome", outcome)
			.counter()
			.count();
	}

}
