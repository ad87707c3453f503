package io.redispatterns.queue.internal;

import java.util.List;

import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.StandaloneRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every queue script is run twice with the same arguments, as Lettuce does when it re-sends a command whose
 * reply was lost: the second run changes nothing and answers like the first. Lease tokens make late calls of
 * an old lease holder no-ops.
 */
class QueueScriptsReplayTests {

	static final StandaloneRedis deployment = (StandaloneRedis) EmbeddedRedis.shared(RedisTopology.STANDALONE);

	private final QueueKeys keys = new QueueKeys(new RedisKeys("replay"));

	private LettuceConnectionFactory connectionFactory;

	private StringRedisTemplate redis;

	private LuaScriptRunner scripts;

	@BeforeEach
	void connect() {
		deployment.flushAll();
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(deployment.node().host(), deployment.node().port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.redis = new StringRedisTemplate(this.connectionFactory);
		this.scripts = new LuaScriptRunner(this.connectionFactory);
	}

	@AfterEach
	void disconnect() {
		this.connectionFactory.destroy();
	}

	@SuppressWarnings("unchecked")
	private List<Object> enqueue(String id, String dedupe) {
		return (List<Object>) this.scripts.run(QueueScripts.ENQUEUE,
				List.of(this.keys.waiting("q"), this.keys.delayed("q"), this.keys.marker("q"), this.keys.meta("q")),
				this.keys.base("q"), "1", id, "default", "{\"n\":1}", "0", "0", "0", "", dedupe, "", "", "0");
	}

	/** The leases of the jobs leased so far, by id: lease (active-set member), facts, attempt. */
	private final java.util.Map<String, List<String>> leases = new java.util.HashMap<>();

	private List<?> take(String token, int max, long leaseMillis) {
		return remember(this.scripts.run(QueueScripts.TAKE,
				List.of(this.keys.waiting("q"), this.keys.delayed("q"), this.keys.active("q"), this.keys.marker("q"),
						this.keys.meta("q"), this.keys.take("q", "w1")),
				this.keys.base("q"), Integer.toString(max), token, Long.toString(leaseMillis)), 2);
	}

	/** Records the leases of a take or complete reply (11 fields per job from offset: lease.lua). */
	private List<?> remember(List<?> reply, int offset) {
		for (int i = offset; i + 10 < reply.size(); i += 11) {
			this.leases.put(String.valueOf(reply.get(i)),
					List.of(String.valueOf(reply.get(i + 9)), String.valueOf(reply.get(i + 10)), String.valueOf(reply.get(i + 3))));
		}
		return reply;
	}

	/** The lease of the job's latest take, or a made-up one (another holder) for {@code "other"}. */
	private String lease(String id, String holder) {
		List<String> lease = this.leases.get(id);
		return holder.equals("other") || lease == null ? id + "|1|other" : lease.get(0);
	}

	private long complete(String id, String holder) {
		return ((Number) completeAndTake(id, holder, "", "100").get(0)).longValue();
	}

	private List<?> completeAndTake(String id, String holder, String nextToken, String keep) {
		List<String> lease = this.leases.getOrDefault(id, List.of("", "0", "1"));
		return remember(this.scripts.run(QueueScripts.COMPLETE,
				List.of(this.keys.job("q", id), this.keys.active("q"), this.keys.completed("q"), this.keys.waiting("q"),
						this.keys.delayed("q"), this.keys.meta("q")),
				this.keys.base("q"), id, lease(id, holder), "\"ok\"", keep, "60000", "100", "0", nextToken, "30000",
				"1", "", lease.get(2), lease.get(1)), 3);
	}

	private void awaited(String id) {
		this.scripts.run(QueueScripts.AWAIT, List.of(this.keys.job("q", id)));
	}

	private Long fail(String id, String holder, long delay) {
		return this.scripts.run(QueueScripts.FAIL,
				List.of(this.keys.job("q", id), this.keys.active("q"), this.keys.delayed("q"), this.keys.dead("q"),
						this.keys.marker("q")),
				this.keys.base("q"), id, lease(id, holder), "boom", Long.toString(delay), "100", "60000", "100", "0");
	}

	private List<?> recover() {
		return this.scripts.run(QueueScripts.RECOVER_STALLED,
				List.of(this.keys.active("q"), this.keys.waiting("q"), this.keys.dead("q"), this.keys.marker("q"),
						this.keys.meta("q"), this.keys.completed("q")),
				this.keys.base("q"), "3", "100", "100", "60000", "100", "0", "60000", "100");
	}

	/** Jobs waiting: in the sorted set (priority above 0) and the list (priority 0, maybe with its mark). */
	private long waitingJobs() {
		Long list = this.redis.opsForList().size(this.keys.ready("q"));
		long mark = "~p".equals(this.redis.opsForList().index(this.keys.ready("q"), -1)) ? 1 : 0;
		return zcard(this.keys.waiting("q")) + ((list != null) ? list : 0) - mark;
	}

	private long zcard(String key) {
		Long size = this.redis.opsForZSet().zCard(key);
		return (size != null) ? size : 0;
	}

	@Test
	void enqueueTwiceWithTheSameIdWritesOneJob() {
		assertThat(enqueue("job-1", "")).containsExactly("job-1");
		assertThat(enqueue("job-1", "")).containsExactly("job-1");
		assertThat(waitingJobs()).isEqualTo(1);
		// priority 0: in the list, no FIFO sequence taken
		assertThat(this.redis.opsForHash().get(this.keys.meta("q"), "seq")).isNull();
	}

	/** A plain job (generated id, no delay, dedupe key or children) as {@code JobQueues.enqueue} sends it. */
	@SuppressWarnings("unchecked")
	private List<Object> enqueuePlain(String id, long clientClock) {
		return (List<Object>) this.scripts.run(QueueScripts.ENQUEUE,
				List.of(this.keys.waiting("q"), this.keys.delayed("q"), this.keys.marker("q"), this.keys.meta("q")),
				this.keys.base("q"), "1", id, "default", "{\"n\":1}", "0", "0", "0", "", "", "", "", "0",
				Long.toString(clientClock), "1");
	}

	@Test
	void plainEnqueueResentAfterItsJobWasTakenOrCompletedWritesNothing() {
		assertThat(enqueuePlain("job-1", 1_700_000_000_123L)).containsExactly("job-1");
		// the creation time is the enqueuing client's (no TIME), the state implicit
		assertThat(this.redis.opsForHash().get(this.keys.job("q", "job-1"), "c")).isEqualTo("1700000000123");
		assertThat(this.redis.opsForHash().get(this.keys.job("q", "job-1"), "s")).isNull();
		assertThat(enqueuePlain("job-1", 1_700_000_000_123L)).containsExactly("job-1");
		assertThat(waitingJobs()).isEqualTo(1);
		assertThat(take("w1:1", 1, 30_000).get(2)).isEqualTo("job-1");
		assertThat(enqueuePlain("job-1", 1_700_000_000_123L)).containsExactly("job-1");
		assertThat(waitingJobs()).isZero();
		// a lease writes nothing to the job hash: the active set's member is the lease
		assertThat(this.redis.opsForHash().get(this.keys.job("q", "job-1"), "s")).isNull();
		assertThat(this.redis.opsForZSet().range(this.keys.active("q"), 0, -1)).containsExactly(lease("job-1", "w1:1"));
		// completed with nothing retained: what is left of the job still makes a re-sent enqueue a no-op
		assertThat(((Number) completeAndTake("job-1", "w1:1", "", "0").get(0)).longValue()).isEqualTo(1);
		assertThat(enqueuePlain("job-1", 1_700_000_000_123L)).containsExactly("job-1");
		assertThat(waitingJobs()).isZero();
		assertThat(this.redis.opsForHash().get(this.keys.job("q", "job-1"), "s")).isEqualTo("c");
	}

	@Test
	void leaseAndCompletionRunOnTheCallersClockWithoutTime() {
		long callerClock = 1_000_000L;
		enqueuePlain("job-1", callerClock);
		enqueuePlain("job-2", callerClock);
		List<?> taken = remember(this.scripts.run(QueueScripts.TAKE,
				List.of(this.keys.waiting("q"), this.keys.delayed("q"), this.keys.active("q"), this.keys.marker("q"),
						this.keys.meta("q"), this.keys.take("q", "w1")),
				this.keys.base("q"), "1", "w1:1", "30000", "0", "0", "0", "0", "0", Long.toString(callerClock)), 2);
		assertThat(taken.get(2)).isEqualTo("job-1");
		// the lease is "<id>|<start>|<token>", its deadline on the caller's clock (README: clocks)
		assertThat(lease("job-1", "w1:1")).isEqualTo("job-1|1000000|w1:1");
		assertThat(this.redis.opsForZSet().score(this.keys.active("q"), "job-1|1000000|w1:1")).isEqualTo(1_030_000.0);
		List<?> completed = remember(this.scripts.run(QueueScripts.COMPLETE,
				List.of(this.keys.job("q", "job-1"), this.keys.active("q"), this.keys.completed("q"),
						this.keys.waiting("q"), this.keys.delayed("q"), this.keys.meta("q")),
				this.keys.base("q"), "job-1", lease("job-1", "w1:1"), "\"ok\"", "100", "60000", "100", "0", "w1:2",
				"30000", "0", Long.toString(callerClock), "1", "0"), 3);
		assertThat(completed.get(3)).isEqualTo("job-2");
		assertThat(this.redis.opsForZSet().score(this.keys.active("q"), lease("job-2", "w1:2"))).isEqualTo(1_030_000.0);
		assertThat(this.redis.opsForHash().get(this.keys.job("q", "job-1"), "st")).isEqualTo("1000000");
		assertThat(this.redis.opsForHash().get(this.keys.job("q", "job-1"), "a")).isEqualTo("1");
		completed = this.scripts.run(QueueScripts.COMPLETE,
				List.of(this.keys.job("q", "job-2"), this.keys.active("q"), this.keys.completed("q"),
						this.keys.waiting("q"), this.keys.delayed("q"), this.keys.meta("q")),
				this.keys.base("q"), "job-2", lease("job-2", "w1:2"), "\"ok\"", "100", "60000", "100", "0", "w1:3",
				"30000", "0", Long.toString(callerClock), "1", "0");
		assertThat(completed).hasSize(3);
		assertThat(this.redis.opsForHash().get(this.keys.job("q", "job-2"), "f")).isEqualTo("1000000");
		assertThat(this.redis.opsForZSet().score(this.keys.completed("q"), "job-2")).isEqualTo(1_000_000.0);
		assertThat(zcard(this.keys.active("q"))).isZero();
	}

	@Test
	void childReportedTwiceCountsOnceTowardsItsParent() {
		this.scripts.run(QueueScripts.ENQUEUE,
				List.of(this.keys.waiting("q"), this.keys.delayed("q"), this.keys.marker("q"), this.keys.meta("q")),
				this.keys.base("q"), "1", "parent", "default", "{}", "0", "0", "0", "", "", "", "", "2");
		assertThat(waitingJobs()).isZero();
		assertThat(childDone("child-1")).isEqualTo(1);
		assertThat(childDone("child-1")).isZero();
		assertThat(waitingJobs()).isZero();
		assertThat(childDone("child-2")).isEqualTo(2);
		assertThat(childDone("child-2")).isZero();
		assertThat(waitingJobs()).isEqualTo(1);
		assertThat(this.redis.opsForHash().get(this.keys.job("q", "parent"), "s")).isEqualTo("w");
	}

	private Long childDone(String child) {
		return this.scripts.run(QueueScripts.CHILD_DONE,
				List.of(this.keys.job("q", "parent"), this.keys.waiting("q"), this.keys.marker("q"), this.keys.meta("q"),
						this.keys.dead("q")),
				this.keys.base("q"), "parent", child, "c", "\"ok\"", "1", "100", "60000", "100", "0");
	}

	@Test
	void enqueueWithATakenDedupeKeyReturnsThePendingJob() {
		assertThat(enqueue("job-1", "welcome:7")).containsExactly("job-1");
		assertThat(enqueue("job-2", "welcome:7")).containsExactly("job-1");
		assertThat(this.redis.hasKey(this.keys.job("q", "job-2"))).isFalse();
		assertThat(waitingJobs()).isEqualTo(1);
	}

	@Test
	void takeResentWithTheSameTokenReturnsTheSameJobsInsteadOfLeasingMore() {
		enqueue("job-1", "");
		enqueue("job-2", "");
		List<?> first = take("w1:1", 1, 30_000);
		List<?> replay = take("w1:1", 1, 30_000);
		assertThat(first.get(2)).isEqualTo("job-1");
		// the same job, same attempt (only the time waited since ready differs)
		assertThat(replay.subList(2, 8)).isEqualTo(first.subList(2, 8));
		assertThat(replay).hasSameSizeAs(first);
		assertThat(zcard(this.keys.active("q"))).isEqualTo(1);
		assertThat(waitingJobs()).isEqualTo(1);
		assertThat(replay.get(11)).isEqualTo(first.get(11));
		List<?> next = take("w1:2", 1, 30_000);
		assertThat(next.get(2)).isEqualTo("job-2");
	}

	@Test
	void completeTwiceAnswersTheSameAndAnotherTokenIsRejected() {
		enqueue("job-1", "");
		take("w1:1", 1, 30_000);
		awaited("job-1");
		assertThat(complete("job-1", "other")).isZero();
		assertThat(complete("job-1", "w1:1")).isEqualTo(1);
		assertThat(complete("job-1", "w1:1")).isEqualTo(1);
		assertThat(zcard(this.keys.completed("q"))).isEqualTo(1);
		assertThat(this.redis.opsForStream().size(this.keys.events("q"))).isEqualTo(1);
	}

	@Test
	void completeTwiceAnswersTheSameWhenNoCompletedJobIsKept() {
		enqueue("job-1", "");
		take("w1:1", 1, 30_000);
		awaited("job-1");
		List<?> first = completeAndTake("job-1", "w1:1", "", "0");
		List<?> replay = completeAndTake("job-1", "w1:1", "", "0");
		assertThat(((Number) first.get(0)).longValue()).isEqualTo(1);
		assertThat(replay).isEqualTo(first);
		assertThat(zcard(this.keys.completed("q"))).isZero();
		assertThat(this.redis.opsForHash().get(this.keys.job("q", "job-1"), "d")).isNull();
		assertThat(this.redis.getExpire(this.keys.job("q", "job-1"))).isPositive();
		assertThat(this.redis.opsForStream().size(this.keys.events("q"))).isEqualTo(1);
	}

	@Test
	void enqueueSetsTheMarkerOnlyWhenNothingWasWaiting() {
		enqueue("job-1", "");
		assertThat(this.redis.hasKey(this.keys.marker("q"))).isTrue();
		this.redis.delete(this.keys.marker("q"));
		// something waits already: a worker busy with the queue takes it, or was woken for the one before
		enqueue("job-2", "");
		assertThat(this.redis.hasKey(this.keys.marker("q"))).isFalse();
		assertThat(List.<Object>copyOf(take("w1:1", 2, 30_000))).containsSubsequence("job-1", "job-2");
		enqueue("job-3", "");
		assertThat(this.redis.hasKey(this.keys.marker("q"))).isTrue();
	}

	@Test
	void higherPriorityJobsAreTakenFirstThenPriorityZeroFirstInFirstOut() {
		enqueuePriority("low-1", 0);
		enqueuePriority("high", 5);
		enqueuePriority("low-2", 0);
		enqueuePriority("mid-1", 2);
		enqueuePriority("mid-2", 2);
		List<Object> taken = new java.util.ArrayList<>();
		List<?> reply = take("w1:1", 2, 30_000);
		taken.add(reply.get(2));
		taken.add(reply.get(13));
		reply = take("w1:2", 2, 30_000);
		taken.add(reply.get(2));
		taken.add(reply.get(13));
		taken.add(take("w1:3", 2, 30_000).get(2));
		assertThat(taken).containsExactly("high", "mid-1", "mid-2", "low-1", "low-2");
		// the mark that sent takes to the sorted set is gone with its jobs
		assertThat(this.redis.hasKey(this.keys.ready("q"))).isFalse();
	}

	private void enqueuePriority(String id, int priority) {
		this.scripts.run(QueueScripts.ENQUEUE,
				List.of(this.keys.waiting("q"), this.keys.delayed("q"), this.keys.marker("q"), this.keys.meta("q")),
				this.keys.base("q"), "1", id, "default", "{}", Integer.toString(priority), "0", "0", "", "", "", "", "0");
	}

	@Test
	void payloadLongerThanAListpackValueIsStoredInPiecesAndLeasedWhole() {
		String payload = "{\"text\":\"" + "x".repeat(200) + "\"}";
		this.scripts.run(QueueScripts.ENQUEUE,
				List.of(this.keys.waiting("q"), this.keys.delayed("q"), this.keys.marker("q"), this.keys.meta("q")),
				this.keys.base("q"), "1", "big", "default", payload, "0", "0", "0", "", "", "", "", "0");
		// every value of the job hash fits Redis's default hash-max-listpack-value (64 bytes): compact encoding
		assertThat(this.redis.opsForHash().values(this.keys.job("q", "big")))
			.allSatisfy((value) -> assertThat(((String) value).length()).isLessThanOrEqualTo(64));
		List<?> taken = take("w1:1", 1, 30_000);
		assertThat(taken.get(2)).isEqualTo("big");
		assertThat(taken.get(4)).isEqualTo(payload);
		assertThat(take("w1:1", 1, 30_000).get(4)).isEqualTo(payload);
	}

	@Test
	void completionNobodyAwaitsWritesNoEvent() {
		enqueue("job-1", "");
		take("w1:1", 1, 30_000);
		assertThat(complete("job-1", "w1:1")).isEqualTo(1);
		assertThat(this.redis.hasKey(this.keys.events("q"))).isFalse();
	}

	@Test
	void completeAndTakeResentReturnsTheSameNextJobInsteadOfLeasingAnother() {
		enqueue("job-1", "");
		enqueue("job-2", "");
		enqueue("job-3", "");
		take("w1:1", 1, 30_000);
		List<?> first = completeAndTake("job-1", "w1:1", "w1:2", "100");
		List<?> replay = completeAndTake("job-1", "w1:1", "w1:2", "100");
		assertThat(first.get(0)).isEqualTo(1L);
		assertThat(first.get(3)).isEqualTo("job-2");
		// the same next job, same attempt (only the time waited since ready differs)
		assertThat(replay.subList(3, 9)).isEqualTo(first.subList(3, 9));
		assertThat(replay).hasSameSizeAs(first);
		assertThat(zcard(this.keys.active("q"))).isEqualTo(1);
		assertThat(waitingJobs()).isEqualTo(1);
		assertThat(replay.get(12)).isEqualTo(first.get(12));
		assertThat(lease("job-2", "w1:2")).startsWith("job-2|").endsWith("|w1:2");
		// the next job's lease works like a taken one's
		assertThat(complete("job-2", "w1:2")).isEqualTo(1);
		assertThat(zcard(this.keys.completed("q"))).isEqualTo(2);
	}

	@Test
	void completeAndTakeLeasesNothingWhileTheQueueIsPaused() {
		enqueue("job-1", "");
		enqueue("job-2", "");
		take("w1:1", 1, 30_000);
		this.scripts.run(QueueScripts.PAUSE, List.of(this.keys.waiting("q"), this.keys.marker("q")), "1");
		List<?> reply = completeAndTake("job-1", "w1:1", "w1:2", "100");
		assertThat(List.copyOf(reply)).isEqualTo(List.of(1L, -1L, 1L));
		// the paused marker in the sorted set, the mark that sends takes there at the list's taking end
		assertThat(this.redis.opsForZSet().range(this.keys.waiting("q"), 0, -1)).containsExactly("~paused");
		assertThat(this.redis.opsForList().range(this.keys.ready("q"), 0, -1)).containsExactly("job-2", "~p");
		List<?> paused = take("w1:3", 5, 30_000);
		assertThat(List.copyOf(paused)).isEqualTo(List.of(-1L, 1L));
		this.scripts.run(QueueScripts.PAUSE, List.of(this.keys.waiting("q"), this.keys.marker("q")), "0");
		assertThat(take("w1:4", 5, 30_000).get(2)).isEqualTo("job-2");
	}

	@Test
	void cancelRefusesAFlowChildWhoseParentWaitsForIt() {
		this.scripts.run(QueueScripts.ENQUEUE,
				List.of(this.keys.waiting("q"), this.keys.delayed("q"), this.keys.marker("q"), this.keys.meta("q")),
				this.keys.base("q"), "1", "child-1", "default", "{}", "0", "0", "0", "", "", "", "1|parent|q", "0");
		enqueue("job-2", "");
		assertThat(cancel("child-1")).isZero();
		assertThat(waitingJobs()).isEqualTo(2);
		assertThat(cancel("job-2")).isEqualTo(1);
		assertThat(cancel("job-2")).isZero();
	}

	private Long cancel(String id) {
		return this.scripts.run(QueueScripts.CANCEL,
				List.of(this.keys.job("q", id), this.keys.waiting("q"), this.keys.delayed("q")), this.keys.base("q"), id);
	}

	@Test
	void failTwiceSchedulesOneRetryAndDeadTwiceDeadLettersOnce() {
		enqueue("job-1", "");
		take("w1:1", 1, 30_000);
		assertThat(fail("job-1", "w1:1", 60_000)).isEqualTo(2);
		assertThat(fail("job-1", "w1:1", 60_000)).isEqualTo(2);
		assertThat(zcard(this.keys.delayed("q"))).isEqualTo(1);
		assertThat((String) this.redis.opsForHash().get(this.keys.job("q", "job-1"), "h")).hasLineCount(1);

		enqueue("job-2", "");
		take("w1:2", 1, 30_000);
		assertThat(fail("job-2", "w1:2", -1)).isEqualTo(3);
		assertThat(fail("job-2", "w1:2", -1)).isEqualTo(3);
		assertThat(zcard(this.keys.dead("q"))).isEqualTo(1);
	}

	@Test
	void aFlowChildDeadInRecoveryIsReturnedSoItsParentHearsOfIt() {
		this.scripts.run(QueueScripts.ENQUEUE,
				List.of(this.keys.waiting("q"), this.keys.delayed("q"), this.keys.marker("q"), this.keys.meta("q")),
				this.keys.base("q"), "1", "child-1", "default", "{}", "0", "0", "1", "", "", "", "1|parent|q", "0");
		take("w1:1", 1, 1);
		List<?> moved = org.awaitility.Awaitility.await().until(this::recover,
				(reply) -> reply != null && ((Number) reply.get(1)).longValue() == 1);
		assertThat(moved.subList(2, moved.size()).stream().map(String::valueOf).toList()).containsExactly("child-1", "1|parent|q");
		assertThat(this.redis.opsForHash().get(this.keys.job("q", "child-1"), "s")).isEqualTo("x");
	}

	@Test
	void expiredLeaseIsRecoveredAndTheOldHoldersCompletionIsRejected() {
		enqueue("job-1", "");
		take("w1:1", 1, 1);
		// the lease of 1 ms has passed once the server's clock moved on
		org.awaitility.Awaitility.await().until(() -> {
			List<?> moved = recover();
			return moved != null && ((Number) moved.get(0)).longValue() == 1;
		});
		assertThat(this.redis.opsForHash().get(this.keys.job("q", "job-1"), "s")).isEqualTo("w");
		assertThat(complete("job-1", "w1:1")).isZero();
		assertThat(fail("job-1", "w1:1", 10)).isZero();
		List<?> again = take("w1:2", 1, 30_000);
		assertThat(again.get(2)).isEqualTo("job-1");
		assertThat(((Number) again.get(5)).intValue()).isEqualTo(2);
		assertThat(complete("job-1", "w1:2")).isEqualTo(1);
	}

}
