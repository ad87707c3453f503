package io.redispatterns.keyspace;

import java.util.Map;
import java.util.UUID;

import io.redispatterns.test.ClusterRedis;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keyspace analysis on a 3-master Redis Cluster: every master is scanned, and each key's type,
 * TTL and memory are read on the master that holds it.
 */
@WithRedis(topology = RedisTopology.CLUSTER)
class KeyspaceAnalyzerClusterTests {

	ClusterRedis redis;

	@Test
	void scansEveryMasterAndCountsKeysSpreadOverTheSlots() {
		String id = UUID.randomUUID().toString().substring(0, 8);
		String app = "app" + id;
		String library = "lib" + id;
		KeyspaceTestSupport.runner(this.redis, library).run((context) -> {
			KeyspaceTestSupport.populate(context.getBean(StringRedisTemplate.class), app, library);
			KeyspaceAnalyzer analyzer = context.getBean(KeyspaceAnalyzer.class);
			KeyspaceReport report = analyzer.analyze(analyzer.defaults().withMatch("*" + id + "*"));
			assertThat(report.masters()).isEqualTo(3);
			assertThat(report.complete()).isTrue();
			assertThat(report.scannedKeys()).isEqualTo(42);
			Map<String, KeyspaceReport.PrefixStats> groups = KeyspaceAnalyzerTests.byPrefix(report);
			assertThat(groups.get(app + ":user").keys()).isEqualTo(30);
			assertThat(groups.get(app + ":user").withoutTtl()).isEqualTo(10);
			assertThat(groups.get(app + ":user").sampled()).isEqualTo(20);
			assertThat(report.largestKeys().get(0).key()).isEqualTo(app + ":cart:0");
			assertThat(analyzer.analyzeLibraryKeys().groups().stream().mapToLong(KeyspaceReport.PrefixStats::withoutTtl)
				.sum()).isEqualTo(3);
		});
	}

}
