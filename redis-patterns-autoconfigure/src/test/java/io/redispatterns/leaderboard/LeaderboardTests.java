package io.redispatterns.leaderboard;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.leaderboard.LeaderboardTestSupport.MovableClock;
import io.redispatterns.leaderboard.internal.LeaderboardEndpointDetails;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Leaderboards on a standalone Redis: ranks, tie-breaks, replay-safe writes, periodic boards,
 * combinations and trimming.
 */
@WithRedis
class LeaderboardTests {

	StandaloneRedis redis;

	private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T10:00:00Z"));

	@Test
	void topRankEntryAndPageAroundAMember() {
		LeaderboardTestSupport.runner(this.redis, this.clock).run((context) -> {
			Leaderboard board = context.getBean(Leaderboards.class).board("chess");
			for (int i = 1; i <= 20; i++) {
				board.record("p" + i, i * 10L);
			}
			LeaderboardView allTime = board.view(Period.ALL_TIME);
			assertThat(allTime.top(3)).containsExactly(new RankedEntry("p20", 1, 200), new RankedEntry("p19", 2, 190),
					new RankedEntry("p18", 3, 180));
			assertThat(allTime.entry("p15")).contains(new RankedEntry("p15", 6, 150));
			assertThat(allTime.entry("nobody")).isEmpty();
			assertThat(allTime.around("p15", 2)).extracting(RankedEntry::member)
				.containsExactly("p17", "p16", "p15", "p14", "p13");
			assertThat(allTime.around("p20", 2)).extracting(RankedEntry::rank).containsExactly(1L, 2L, 3L);
			assertThat(allTime.around("nobody", 2)).isEmpty();
			assertThat(allTime.range(19, 5)).containsExactly(new RankedEntry("p2", 19, 20), new RankedEntry("p1", 20, 10));
			assertThat(allTime.size()).isEqualTo(20);
		});
	}

	@Test
	void equalPointsAreRankedByWhoReachedThemFirst() {
		LeaderboardTestSupport.runner(this.redis, this.clock)
			.withPropertyValues("redis-patterns.leaderboard.periods=all-time,daily",
					"redis-patterns.leaderboard.all-time-epoch=2026-12-01T00:00:00Z",
					"redis-patterns.leaderboard.all-time-horizon=7d")
			.run((context) -> {
				// tie-break steps: 84 s of a day, 9.8 min of the 7-day all-time window
				Leaderboard board = context.getBean(Leaderboards.class).board("race");
				// "zed" sorts last by name, so only the time can put it first
				board.increment("zed", 50);
				this.clock.advance(Duration.ofMinutes(30));
				board.increment("amy", 50);
				this.clock.advance(Duration.ofMinutes(30));
				board.increment("bob", 30);
				this.clock.advance(Duration.ofMinutes(30));
				board.increment("bob", 20);
				for (Period period : List.of(Period.ALL_TIME, Period.DAILY)) {
					assertThat(board.view(period).top(3)).as(period.displayName())
						.containsExactly(new RankedEntry("zed", 1, 50), new RankedEntry("amy", 2, 50),
								new RankedEntry("bob", 3, 50));
				}
				// moving up again makes the member the latest to reach its new points
				this.clock.advance(Duration.ofMinutes(30));
				board.increment("zed", 10);
				this.clock.advance(Duration.ofMinutes(30));
				board.increment("amy", 10);
				assertThat(board.view(Period.DAILY).top(2)).extracting(RankedEntry::member).containsExactly("zed", "amy");
			});
	}

	@Test
	void recordingTheSamePointsKeepsTheirTimeAndRecordIfHigherKeepsTheBest() {
		LeaderboardTestSupport.runner(this.redis, this.clock).run((context) -> {
			Leaderboard board = context.getBean(Leaderboards.class).board("best");
			assertThat(board.record("early", 100).applied()).isTrue();
			this.clock.advance(Duration.ofDays(30));
			board.record("late", 100);
			this.clock.advance(Duration.ofDays(30));
			ScoreUpdate repeated = board.record("early", 100);
			assertThat(repeated.applied()).isFalse();
			assertThat(board.view(Period.ALL_TIME).top(2)).extracting(RankedEntry::member).containsExactly("early", "late");
			assertThat(board.recordIfHigher("late", 90).applied()).isFalse();
			assertThat(board.recordIfHigher("late", 90).pointsIn(Period.ALL_TIME)).isEqualTo(100);
			ScoreUpdate better = board.recordIfHigher("late", 120);
			assertThat(better.applied()).isTrue();
			assertThat(better.pointsIn(Period.ALL_TIME)).isEqualTo(120);
		});
	}

	@Test
	void anIncrementWithAnEventIdCountsOnce() {
		LeaderboardTestSupport.runner(this.redis, this.clock).run((context) -> {
			Leaderboard board = context.getBean(Leaderboards.class).board("events");
			assertThat(board.increment("ann", 5, "evt-1").applied()).isTrue();
			ScoreUpdate repeat = board.increment("ann", 5, "evt-1");
			assertThat(repeat.applied()).isFalse();
			assertThat(repeat.pointsIn(Period.ALL_TIME)).isEqualTo(5);
			assertThat(board.increment("ann", 5, "evt-2").pointsIn(Period.ALL_TIME)).isEqualTo(10);
			assertThat(board.increment("ann", -3).pointsIn(Period.ALL_TIME)).isEqualTo(7);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("redis.patterns.leaderboard.operations")
				.tags("board", "events", "operation", "increment", "result", "unchanged")
				.timer()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void periodicBoardsRollOverWithTheClockAndExpireAfterTheirWindow() {
		LeaderboardTestSupport.runner(this.redis, this.clock)
			.withPropertyValues("redis-patterns.leaderboard.boards.arcade.periods=all-time,daily,weekly,monthly",
					"redis-patterns.leaderboard.boards.arcade.retention=2d")
			.run((context) -> {
				Leaderboard board = context.getBean(Leaderboards.class).board("arcade");
				RedisKeys keys = context.getBean(RedisKeys.class);
				StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
				ScoreUpdate thursday = board.increment("ann", 10);
				assertThat(thursday.points()).containsOnlyKeys(Period.values());
				this.clock.advance(Duration.ofDays(1));
				ScoreUpdate friday = board.increment("ann", 5);
				assertThat(friday.pointsIn(Period.DAILY)).isEqualTo(5);
				assertThat(friday.pointsIn(Period.WEEKLY)).isEqualTo(15);
				assertThat(friday.pointsIn(Period.MONTHLY)).isEqualTo(15);
				assertThat(friday.pointsIn(Period.ALL_TIME)).isEqualTo(15);
				assertThat(board.view(Period.DAILY, LocalDate.parse("2026-12-03")).entry("ann"))
					.contains(new RankedEntry("ann", 1, 10));
				String daily = keys.namespace("lb") + "{arcade}:arcade:d2026-12-04";
				assertThat(redis.hasKey(daily)).isTrue();
				// kept until the end of the day plus the retention of 2 days
				long expected = Instant.parse("2026-12-07T00:00:00Z").toEpochMilli();
				Long ttl = redis.getExpire(daily, TimeUnit.MILLISECONDS);
				assertThat(System.currentTimeMillis() + ttl).isCloseTo(expected, org.assertj.core.data.Offset.offset(60_000L));
				assertThat(redis.hasKey(keys.namespace("lb") + "{arcade}:arcade:w2026-W49")).isTrue();
				assertThat(redis.hasKey(keys.namespace("lb") + "{arcade}:arcade:m2026-12")).isTrue();
				assertThat(redis.getExpire(keys.namespace("lb") + "{arcade}:arcade:all", TimeUnit.DAYS)).isBetween(364L, 365L);
				// next week: a new weekly board, the monthly one goes on
				this.clock.advance(Duration.ofDays(4));
				ScoreUpdate tuesday = board.increment("ann", 1);
				assertThat(tuesday.pointsIn(Period.WEEKLY)).isEqualTo(1);
				assertThat(tuesday.pointsIn(Period.MONTHLY)).isEqualTo(16);
			});
	}

	@Test
	void boardsOfOneGroupAreCombinedWithExactWeightedPoints() {
		LeaderboardTestSupport.runner(this.redis, this.clock)
			.withPropertyValues("redis-patterns.leaderboard.boards.daily-quiz.group=season",
					"redis-patterns.leaderboard.boards.weekly-cup.group=season",
					"redis-patterns.leaderboard.boards.other.periods=all-time")
			.run((context) -> {
				Leaderboards leaderboards = context.getBean(Leaderboards.class);
				Leaderboard quiz = leaderboards.board("daily-quiz");
				Leaderboard cup = leaderboards.board("weekly-cup");
				long big = (1L << 38) + 1;
				quiz.record("ann", big);
				quiz.record("bob", 7);
				cup.record("bob", 3);
				cup.record("cat", 1);
				LeaderboardView season = leaderboards.combine("season-total", Duration.ofMinutes(5),
						List.of(quiz.view(Period.ALL_TIME).weighted(1), cup.view(Period.ALL_TIME).weighted(3)));
				assertThat(season.top(10)).containsExactly(new RankedEntry("ann", 1, big), new RankedEntry("bob", 2, 16),
						new RankedEntry("cat", 3, 3));
				assertThat(leaderboards.combined("season", "season-total").entry("bob"))
					.contains(new RankedEntry("bob", 2, 16));
				assertThatIllegalArgumentException()
					.isThrownBy(() -> leaderboards.combine("mixed", Duration.ofMinutes(1),
							List.of(quiz.view(Period.ALL_TIME).weighted(1),
									leaderboards.board("other").view(Period.ALL_TIME).weighted(1))))
					.withMessageContaining("different Cluster slots");
				assertThatIllegalArgumentException()
					.isThrownBy(() -> leaderboards.combine("heavy", Duration.ofMinutes(1),
							List.of(quiz.view(Period.ALL_TIME).weighted(5), cup.view(Period.ALL_TIME).weighted(4))))
					.withMessageContaining("at most 8");
			});
	}

	@Test
	void pointsAreExactUpToTwoToTheFortiethAndRefusedBeyond() {
		LeaderboardTestSupport.runner(this.redis, this.clock).run((context) -> {
			Leaderboard board = context.getBean(Leaderboards.class).board("huge");
			long max = (1L << 40) - 1;
			board.record("max", max);
			board.record("below", max - 1);
			board.record("negative", -max);
			assertThat(board.view(Period.ALL_TIME).top(3)).containsExactly(new RankedEntry("max", 1, max),
					new RankedEntry("below", 2, max - 1), new RankedEntry("negative", 3, -max));
			assertThatIllegalArgumentException().isThrownBy(() -> board.record("over", max + 1))
				.withMessageContaining("score-bits");
			assertThatIllegalArgumentException().isThrownBy(() -> board.increment("max", 1)).isNotNull();
		});
	}

	@Test
	void boardsAreTrimmedToTheirTopMembers() {
		LeaderboardTestSupport.runner(this.redis, this.clock)
			.withPropertyValues("redis-patterns.leaderboard.boards.small.keep-top=3")
			.run((context) -> {
				Leaderboards leaderboards = context.getBean(Leaderboards.class);
				Leaderboard small = leaderboards.board("small");
				for (int i = 1; i <= 6; i++) {
					small.record("m" + i, i);
				}
				assertThat(small.view(Period.ALL_TIME).top(10)).extracting(RankedEntry::member)
					.containsExactly("m6", "m5", "m4");
				Leaderboard big = leaderboards.board("big");
				for (int i = 1; i <= 6; i++) {
					big.record("m" + i, i);
				}
				assertThat(big.view(Period.ALL_TIME).trimToTop(2)).isEqualTo(4);
				assertThat(big.view(Period.ALL_TIME).top(10)).extracting(RankedEntry::member).containsExactly("m6", "m5");
				assertThat(context.getBean(LeaderboardEndpointDetails.class).describe()).containsKey("boards");
			});
	}

	@Test
	void invalidSettingsStopStartUpNamingTheProperty() {
		LeaderboardTestSupport.runner(this.redis, this.clock)
			.withPropertyValues("redis-patterns.leaderboard.score-bits=52")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("redis-patterns.leaderboard.score-bits"));
		LeaderboardTestSupport.runner(this.redis, this.clock)
			.withPropertyValues("redis-patterns.leaderboard.boards.x.keep-top=-1")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("redis-patterns.leaderboard.boards.x.keep-top"));
	}


	@Test
	void backsOffWhenTheApplicationDefinesLeaderboardsAndCanBeTurnedOff() {
		LeaderboardTestSupport.runner(this.redis, this.clock)
			.withBean("custom", Leaderboards.class,
					() -> Leaderboards.builder(new StringRedisTemplate(), new RedisKeys("custom")).build())
			.run((context) -> assertThat(context).getBeans(Leaderboards.class).containsOnlyKeys("custom"));
		LeaderboardTestSupport.runner(this.redis, this.clock)
			.withPropertyValues("redis-patterns.leaderboard.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Leaderboards.class)
				.doesNotHaveBean(LeaderboardEndpointDetails.class));
	}

}
