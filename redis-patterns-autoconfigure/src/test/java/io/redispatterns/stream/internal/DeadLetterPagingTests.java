package io.redispatterns.stream.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.RedisKeys;
import io.redispatterns.stream.DeadLetter;
import io.redispatterns.stream.StreamHeaders;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code StreamDeadLetters.list(stream, fromId, count)}: a page of a dead-letter stream from an
 * entry on, and one entry looked up by its id (what the operator console shows before a replay).
 */
class DeadLetterPagingTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	private LettuceConnectionFactory connectionFactory;

	private StringRedisTemplate template;

	private DefaultStreamDeadLetters deadLetters;

	private StreamKeys keys;

	@BeforeEach
	void connect() {
		DataRedisConnectionDetails.Standalone standalone = redis.connectionDetails().getStandalone();
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(standalone.getHost(), standalone.getPort()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.template = new StringRedisTemplate(this.connectionFactory);
		this.keys = new StreamKeys(new RedisKeys("paging"), "dlq");
		this.deadLetters = new DefaultStreamDeadLetters(this.template, this.keys, (stream) -> 1000, Duration.ZERO);
		this.template.delete(this.keys.deadLetters("invoices"));
		for (int i = 1; i <= 5; i++) {
			this.template.opsForStream()
				.add(this.keys.deadLetters("invoices"),
						Map.of(StreamHeaders.PAYLOAD, "{\"n\":" + i + "}", DefaultStreamDeadLetters.ORIGINAL_ID, i + "-0",
								DefaultStreamDeadLetters.GROUP, "billing", DefaultStreamDeadLetters.ERROR, "failed " + i,
								DefaultStreamDeadLetters.ATTEMPTS, "3", DefaultStreamDeadLetters.AT, "2026-01-01T00:00:00Z"));
		}
	}

	@AfterEach
	void disconnect() {
		this.template.delete(this.keys.deadLetters("invoices"));
		this.connectionFactory.destroy();
	}

	@Test
	void listsAPageFromAnEntryOnAndFindsOneEntryById() {
		List<DeadLetter> all = this.deadLetters.list("invoices", 10);
		assertThat(all).extracting(DeadLetter::payload)
			.containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}", "{\"n\":5}");
		List<DeadLetter> page = this.deadLetters.list("invoices", all.get(2).id(), 2);
		assertThat(page).extracting(DeadLetter::payload).containsExactly("{\"n\":3}", "{\"n\":4}");
		DeadLetter one = this.deadLetters.list("invoices", all.get(4).id(), 1).get(0);
		assertThat(one.id()).isEqualTo(all.get(4).id());
		assertThat(one.error()).isEqualTo("failed 5");
		assertThat(one.originalId()).isEqualTo("5-0");
		assertThat(this.deadLetters.list("invoices", "9999999999999-0", 5)).isEmpty();
	}

}
