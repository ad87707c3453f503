package io.redispatterns.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.redispatterns.test.ClusterRedis;
import io.redispatterns.test.CommandCalls;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LeastPrivilegeAclTests} on a 3-master Redis Cluster: the same rule plus the topology
 * commands Lettuce needs ({@link #CLUSTER_ADDITIONS}), set on every node.
 */
@SpringBootTest
@AutoConfigureMockMvc
@DirtiesContext
class ClusterLeastPrivilegeAclTests {

	/** What a Cluster needs on top of {@link LeastPrivilegeAclTests#RULE}. */
	static final String CLUSTER_ADDITIONS = System.getProperty("sample.acl-cluster-additions",
			" +cluster|nodes +cluster|info +cluster|myid +client|setname");

	private static ClusterRedis redis;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private ConfigurableApplicationContext context;

	@DynamicPropertySource
	static void aclUser(DynamicPropertyRegistry registry) {
		redis = EmbeddedRedis.cluster();
		List<String> rules = new ArrayList<>(List.of("on", ">sample-secret"));
		rules.addAll(List.of((LeastPrivilegeAclTests.RULE + CLUSTER_ADDITIONS).trim().split("\\s+")));
		for (RedisNode node : redis.masters()) {
			CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add("sample-app");
			rules.forEach(args::add);
			node.commands((commands) -> commands.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args));
		}
		redis.springProperties().forEach((name, value) -> registry.add(name, () -> value));
		registry.add("spring.data.redis.username", () -> "sample-app");
		registry.add("spring.data.redis.password", () -> "sample-secret");
	}

	@Test
	void everyPatternHealthAndTheEndpointWorkUnderTheLeastPrivilegeRuleOnCluster() throws Exception {
		AllPatternsWalkthrough walkthrough = new AllPatternsWalkthrough(this.mvc, this.context, redis::nodeForKey);
		walkthrough.healthAndEndpoint();
		walkthrough.cache();
		walkthrough.pageViews();
		walkthrough.rateLimit();
		walkthrough.locks();
		walkthrough.streamsAndPubSub();
		walkthrough.jobQueue();
		walkthrough.sessions();
		walkthrough.leaderboardAndKeyspace();
		Map<String, Long> calls = new TreeMap<>();
		List<Object> denials = new ArrayList<>();
		for (RedisNode node : redis.masters()) {
			CommandCalls.of(node).asMap().forEach((command, count) -> calls.merge(command, count, Long::sum));
			denials.addAll(node.execute((commands) -> commands.aclLog()));
		}
		System.out.println("[measure] commands run on the Cluster since start-up: " + calls);
		assertThat(denials).as("ACL LOG").isEmpty();
	}

}
