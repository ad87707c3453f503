package io.redispatterns.sample.lock;

import java.time.Duration;
import java.util.UUID;

import io.redispatterns.core.RedisKeys;
import io.redispatterns.lock.LockLease;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.StandaloneRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reservation whose reply is lost: the proxy drops the reply and closes the connection, Lettuce
 * reconnects and re-sends the script, and the store must not reserve twice.
 */
class InventoryReplayTests {

	private StandaloneRedis redis;

	private RedisProxy proxy;

	private LettuceConnectionFactory connectionFactory;

	private LockTemplate locks;

	private InventoryStore store;

	@BeforeEach
	void connectThroughAProxy() {
		this.redis = EmbeddedRedis.startStandaloneServer(0);
		this.proxy = RedisProxy.start(this.redis.node());
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.proxy.host(), this.proxy.port()),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(5)).build());
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		StringRedisTemplate template = new StringRedisTemplate(this.connectionFactory);
		RedisKeys keys = new RedisKeys("replay-" + UUID.randomUUID().toString().substring(0, 8));
		this.locks = LockTemplate.builder(template, keys).wakeUps(false).build();
		this.store = new InventoryStore(template, keys);
	}

	@AfterEach
	void close() throws Exception {
		((AutoCloseable) this.locks).close();
		this.connectionFactory.destroy();
		this.proxy.close();
		this.redis.close();
	}

	@Test
	void aReservationReSentAfterItsReplyWasLostIsAppliedOnce() {
		String sku = "replayed-sku";
		// loads the script, so the faulted command is the reservation itself, not a NOSCRIPT round
		this.store.reserve("warm-up", 1);
		LockLease lease = this.locks.tryAcquire("inventory:" + sku, Duration.ofSeconds(30)).orElseThrow();
		this.proxy.dropReplyOnce(sku, RedisProxy.Close.FIN);

		InventoryStore.Reservation reservation = this.store.reserve(sku, lease.fencingToken());

		assertThat(this.proxy.dropFired()).isTrue();
		assertThat(this.proxy.forwardedCount(sku)).as("the reservation script ran twice").isEqualTo(2);
		assertThat(reservation.outcome()).as("the re-sent run is told the reservation is in place")
			.isEqualTo(InventoryStore.Outcome.ALREADY_RESERVED);
		assertThat(reservation.inventory()).isEqualTo(new Inventory(sku, 99, 1, lease.fencingToken()));
		assertThat(this.store.read(sku)).as("reserved once").isEqualTo(new Inventory(sku, 99, 1, lease.fencingToken()));
		lease.release();
	}

	@Test
	void theNextHolderStillReservesAfterAReplay() {
		String sku = "after-replay";
		this.store.reserve("warm-up", 1);
		LockLease first = this.locks.tryAcquire("inventory:" + sku, Duration.ofSeconds(30)).orElseThrow();
		this.proxy.dropReplyOnce(sku, RedisProxy.Close.FIN);
		this.store.reserve(sku, first.fencingToken());
		first.release();

		LockLease second = this.locks.tryAcquire("inventory:" + sku, Duration.ofSeconds(30)).orElseThrow();
		assertThat(this.store.reserve(sku, second.fencingToken()).outcome()).isEqualTo(InventoryStore.Outcome.RESERVED);
		assertThat(this.store.read(sku)).isEqualTo(new Inventory(sku, 98, 2, second.fencingToken()));
		second.release();
	}

}
