package io.redispatterns.leaderboard.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.redispatterns.leaderboard.LeaderboardView;
import io.redispatterns.leaderboard.RankedEntry;

import org.springframework.data.redis.core.ZSetOperations.TypedTuple;

/**
 * One sorted set of a leaderboard.
 */
final class View implements LeaderboardView {

	private final RedisLeaderboards boards;

	private final String boardName;

	private final String group;

	private final String window;

	final String key;

	View(RedisLeaderboards boards, String boardName, String group, String window, String key) {
		this.boards = boards;
		this.boardName = boardName;
		this.group = group;
		this.window = window;
		this.key = key;
	}

	@Override
	public String boardName() {
		return this.boardName;
	}

	@Override
	public String group() {
		return this.group;
	}

	@Override
	public String window() {
		return this.window;
	}

	@Override
	public List<RankedEntry> top(int n) {
		return this.boards.timed(this.boardName, "top", () -> read(0, n));
	}

	@Override
	public List<RankedEntry> range(long fromRank, int count) {
		if (fromRank < 1) {
			throw new IllegalArgumentException("Ranks start at 1: " + fromRank);
		}
		return this.boards.timed(this.boardName, "range", () -> read(fromRank - 1, count));
	}

	private List<RankedEntry> read(long offset, int count) {
		if (count < 1) {
			return List.of();
		}
		Set<TypedTuple<String>> tuples = this.boards.redis.opsForZSet()
			.reverseRangeWithScores(this.key, offset, offset + count - 1);
		List<RankedEntry> entries = new ArrayList<>();
		long rank = offset + 1;
		if (tuples != null) {
			for (TypedTuple<String> tuple : tuples) {
				if (tuple.getValue() != null && tuple.getScore() != null) {
					entries.add(new RankedEntry(tuple.getValue(), rank++, this.boards.encoding.points(tuple.getScore())));
				}
			}
		}
		return entries;
	}

	@Override
	public Optional<RankedEntry> entry(String member) {
		return this.boards.timed(this.boardName, "entry", () -> {
			List<?> reply = this.boards.scripts.run(RedisLeaderboards.ENTRY, List.of(this.key), member);
			if (reply == null || reply.size() < 2 || reply.get(0) == null) {
				return Optional.empty();
			}
			return Optional.of(new RankedEntry(member, Long.parseLong(String.valueOf(reply.get(0))) + 1,
					this.boards.encoding.points(Double.parseDouble(reply.get(1).toString()))));
		});
	}

	@Override
	public List<RankedEntry> around(String member, int radius) {
		if (radius < 0) {
			throw new IllegalArgumentException("The radius must be 0 or more: " + radius);
		}
		return this.boards.timed(this.boardName, "around", () -> {
			List<?> reply = this.boards.scripts.run(RedisLeaderboards.AROUND, List.of(this.key), member,
					Integer.toString(radius));
			List<RankedEntry> entries = new ArrayList<>();
			if (reply == null || reply.isEmpty() || reply.get(0) == null) {
				return entries;
			}
			long rank = Long.parseLong(String.valueOf(reply.get(0))) + 1;
			for (int i = 1; i + 1 < reply.size(); i += 2) {
				entries.add(new RankedEntry(reply.get(i).toString(), rank++,
						this.boards.encoding.points(Double.parseDouble(reply.get(i + 1).toString()))));
			}
			return entries;
		});
	}

	@Override
	public long size() {
		return this.boards.timed(this.boardName, "size", () -> {
			Long size = this.boards.redis.opsForZSet().zCard(this.key);
			return (size != null) ? size : 0L;
		});
	}

	@Override
	public long trimToTop(int k) {
		if (k < 0) {
			throw new IllegalArgumentException("k must be 0 or more: " + k);
		}
		return this.boards.timed(this.boardName, "trim", () -> {
			Long removed = this.boards.redis.opsForZSet().removeRange(this.key, 0, -(long) k - 1);
			return (removed != null) ? removed : 0L;
		});
	}

	@Override
	public boolean remove(String member) {
		return this.boards.timed(this.boardName, "remove", () -> {
			Long removed = this.boards.redis.opsForZSet().remove(this.key, member);
			return removed != null && removed > 0;
		});
	}

	@Override
	public String toString() {
		return "Leaderboard " + this.boardName + " (" + this.window + ")";
	}

}
