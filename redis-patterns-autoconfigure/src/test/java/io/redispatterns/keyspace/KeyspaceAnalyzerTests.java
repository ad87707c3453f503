package io.redispatterns.keyspace;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.actuate.RedisPatternsEndpoint;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.keyspace.internal.KeyspaceEndpointSection;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keyspace analysis on a standalone Redis: groups, types, TTL-less keys, sampled memory, the
 * largest keys, the budget, the endpoint section and the TTL gauge.
 */
@WithRedis
class KeyspaceAnalyzerTests {

	StandaloneRedis redis;

	private final String id = UUID.randomUUID().toString().substring(0, 8);

	private final String app = "app" + this.id;

	private final String library = "lib" + this.id;

	@Test
	void reportsEveryPrefixWithTypesTtlLessKeysSampledMemoryAndTheLargestKeys() {
		KeyspaceTestSupport.runner(this.redis, this.library).run((context) -> {
			KeyspaceTestSupport.populate(context.getBean(StringRedisTemplate.class), this.app, this.library);
			KeyspaceAnalyzer analyzer = context.getBean(KeyspaceAnalyzer.class);
			KeyspaceReport report = analyzer.analyze(analyzer.defaults().withMatch("*" + this.id + "*"));
			assertThat(report.complete()).isTrue();
			assertThat(report.stoppedBy()).isNull();
			assertThat(report.scannedKeys()).isEqualTo(42);
			assertThat(report.masters()).isEqualTo(1);
			Map<String, KeyspaceReport.PrefixStats> groups = byPrefix(report);
			KeyspaceReport.PrefixStats users = groups.get(this.app + ":user");
			assertThat(users.keys()).isEqualTo(30);
			assertThat(users.types()).containsExactly(Map.entry("string", 30L));
			assertThat(users.withoutTtl()).isEqualTo(10);
			assertThat(users.library()).isFalse();
			assertThat(users.sampled()).isEqualTo(20);
			assertThat(users.estimatedBytes()).isGreaterThan(users.sampledBytes());
			KeyspaceReport.PrefixStats carts = groups.get(this.app + ":cart");
			assertThat(carts.types()).containsExactly(Map.entry("hash", 5L));
			assertThat(carts.withoutTtl()).isZero();
			assertThat(carts.sampled()).isEqualTo(5);
			assertThat(groups.get(this.library + ":lb:{board0}").library()).isTrue();
			assertThat(groups.get(this.library + ":lb:{board0}").withoutTtl()).isEqualTo(1);
			assertThat(groups.get(this.library + ":rl:quotes")).satisfies((limits) -> {
				assertThat(limits.keys()).isEqualTo(4);
				assertThat(limits.withoutTtl()).isZero();
				assertThat(limits.library()).isTrue();
			});
			assertThat(report.largestKeys().get(0).key()).isEqualTo(this.app + ":cart:0");
			assertThat(report.largestKeys()).hasSize(10);
		});
	}

	@Test
	void stopsAtTheKeyBudgetAndSaysSo() {
		KeyspaceTestSupport.runner(this.redis, this.library)
			.withPropertyValues("redis-patterns.keyspace.max-keys=5", "redis-patterns.keyspace.scan-count=2")
			.run((context) -> {
				KeyspaceTestSupport.populate(context.getBean(StringRedisTemplate.class), this.app, this.library);
				KeyspaceReport report = context.getBean(KeyspaceAnalyzer.class).analyze();
				assertThat(report.complete()).isFalse();
				assertThat(report.stoppedBy()).isEqualTo("key-budget");
				assertThat(report.scannedKeys()).isLessThan(5 + 2 * 10);
			});
	}

	@Test
	void theEndpointSectionMasksKeyNamesAndTheGaugeCountsTtlLessLibraryKeys() {
		KeyspaceTestSupport.runner(this.redis, this.library)
			.withPropertyValues("redis-patterns.keyspace.match=*" + this.id + "*")
			.run((context) -> {
				KeyspaceTestSupport.populate(context.getBean(StringRedisTemplate.class), this.app, this.library);
				RedisPatternsEndpoint endpoint = new RedisPatternsEndpoint(context.getBean(RedisConnectionFactory.class),
						context.getBean(RedisKeys.class), List.of(), List.of(context.getBean(KeyspaceEndpointSection.class)));
				@SuppressWarnings("unchecked")
				Map<String, Object> section = (Map<String, Object>) endpoint.section("keyspace");
				assertThat(section).containsEntry("complete", true).containsEntry("scannedKeys", 42L);
				@SuppressWarnings("unchecked")
				List<Map<String, Object>> largest = (List<Map<String, Object>>) section.get("largestKeys");
				assertThat(largest.get(0).get("key").toString()).startsWith(this.app + ":cart:…")
					.doesNotContain(this.app + ":cart:0");
				assertThat(endpoint.section("nothing-here")).isNull();
				KeyspaceTtlGauge gauge = context.getBean(KeyspaceTtlGauge.class);
				gauge.refresh();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("redis.patterns.keyspace.keys.without.ttl").gauge().value()).isEqualTo(3);
				assertThat(registry.get("redis.patterns.keyspace.keys").gauge().value()).isEqualTo(7);
				assertThat(registry.get("redis.patterns.keyspace.scan.complete").gauge().value()).isEqualTo(1);
			});
	}

	static Map<String, KeyspaceReport.PrefixStats> byPrefix(KeyspaceReport report) {
		Map<String, KeyspaceReport.PrefixStats> groups = new java.util.HashMap<>();
		report.groups().forEach((group) -> groups.put(group.prefix(), group));
		return groups;
	}


	@Test
	void turnedOffByPropertiesAndInvalidBoundsStopStartUp() {
		KeyspaceTestSupport.runner(this.redis, this.library)
			.withPropertyValues("redis-patterns.keyspace.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(KeyspaceAnalyzer.class)
				.doesNotHaveBean(KeyspaceTtlGauge.class));
		KeyspaceTestSupport.runner(this.redis, this.library)
			.withPropertyValues("redis-patterns.keyspace.max-keys=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("redis-patterns.keyspace.max-keys"));
	}

}
