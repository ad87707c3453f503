package io.redispatterns.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.redispatterns.test.CommandCalls;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.StandaloneRedis;
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
 * The whole sample runs as an ACL user that may touch only keys and channels under its prefix and
 * run only the commands the README's least-privilege rule lists: every pattern, both health
 * indicators and the {@code redispatterns} endpoint work, and Redis logged no denial.
 * <p>
 * The server is this class's own; the context is closed after the class, the server when the JVM
 * exits (redis-patterns-test's shutdown hook), so the context never sees it disappear.
 */
@SpringBootTest
@AutoConfigureMockMvc
@DirtiesContext
class LeastPrivilegeAclTests {

	/** The rule of the README's "Least-privilege ACL" section, for the key prefix {@code sample}. */
	static final String RULE = System.getProperty("sample.acl-rule", "resetkeys resetchannels ~sample:* &sample:* -@all"
			+ " +get +set +del +unlink +exists +expire +pexpire +pexpireat +pttl +scan +rename"
			+ " +incrby +persist +rpush +ltrim"
			+ " +hget +hgetall +hmget +hset +hdel +hincrby"
			+ " +hexists +hlen +lpop +lpush +rpop +lindex +llen +lrem +lrange +xrevrange"
			+ " +zadd +zrem +zrange +zrangebyscore +zrevrange +zremrangebyscore +zcard +zscore +zscan +zpopmin +bzpopmin"
			+ " +zrevrank +zremrangebyrank +zunionstore +type +memory|usage"
			+ " +xadd +xack +xautoclaim +xclaim +xdel +xpending +xrange +xreadgroup +xlen +xgroup|create +xinfo|groups"
			+ " +eval +evalsha"
			+ " +publish +subscribe +unsubscribe +spublish +ssubscribe +sunsubscribe"
			+ " +ping +info +time +client|tracking +client|trackinginfo");

	private static StandaloneRedis redis;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private ConfigurableApplicationContext context;

	@DynamicPropertySource
	static void aclUser(DynamicPropertyRegistry registry) {
		redis = EmbeddedRedis.startStandaloneServer(0);
		List<String> rules = new ArrayList<>(List.of("on", ">sample-secret"));
		rules.addAll(List.of(RULE.trim().split("\\s+")));
		aclSetuser("sample-app", rules);
		registry.add("spring.data.redis.host", redis.node()::host);
		registry.add("spring.data.redis.port", redis.node()::port);
		registry.add("spring.data.redis.username", () -> "sample-app");
		registry.add("spring.data.redis.password", () -> "sample-secret");
	}

	@Test
	void everyPatternHealthAndTheEndpointWorkUnderTheLeastPrivilegeRule() throws Exception {
		AllPatternsWalkthrough walkthrough = new AllPatternsWalkthrough(this.mvc, this.context, (key) -> redis.node());
		walkthrough.healthAndEndpoint();
		walkthrough.cache();
		walkthrough.pageViews();
		walkthrough.rateLimit();
		walkthrough.locks();
		walkthrough.streamsAndPubSub();
		walkthrough.jobQueue();
		walkthrough.sessions();
		walkthrough.leaderboardAndKeyspace();
		System.out.println("[measure] commands run since start-up: " + CommandCalls.of(redis.node()));
		List<Map<String, Object>> denials = redis.node().execute((commands) -> commands.aclLog());
		assertThat(denials).as("ACL LOG").isEmpty();
		String allowed = redis.node().execute((commands) -> commands.aclGetuser("sample-app").toString());
		System.out.println("[measure] ACL user: " + allowed);
	}

	private static void aclSetuser(String user, List<String> rules) {
		CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(user);
		rules.forEach(args::add);
		redis.node()
			.commands((commands) -> commands.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args));
	}

}
