package io.redispatterns.leaderboard;

/**
 * How a leaderboard packs points and "who reached them first" into one sorted-set score.
 * <p>
 * A sorted-set score is an IEEE-754 double, which holds every integer of magnitude below
 * 2<sup>53</sup> exactly. The 53 bits are split:
 * <pre>
 * score = points × 2^(tieBreakBits + headroomBits) + tieBreak
 *
 * | sign + scoreBits (default 40) | headroomBits (3) | tieBreakBits (default 10) |
 * </pre>
 * <ul>
 * <li><b>points</b>: the integer score, exact for magnitudes below 2<sup>scoreBits</sup> (default
 * 2<sup>40</sup> ≈ 1.1 × 10<sup>12</sup>); larger values are refused.</li>
 * <li><b>tieBreak</b>: {@code 2^tieBreakBits - 1 - step}, where {@code step} is the time the member
 * reached its current points, as a fraction of the board's window (a day, week or month; for the
 * all-time board the configured epoch plus horizon) in {@code 2^tieBreakBits} steps. Earlier is
 * larger, so among equal points the member that got there first ranks higher. With the defaults
 * a step is 84 s of a day, 9.8 min of a week, 44 min of a 31-day month; members that reach equal
 * points within one step rank in reverse lexicographic order of their names (Redis's order for
 * equal scores). Times outside the window are clamped to its first or last step.</li>
 * <li><b>headroom</b>: zeros under the points, so that a weighted combination
 * ({@code ZUNIONSTORE ... WEIGHTS}) with positive integer weights that sum to at most
 * 2<sup>headroomBits</sup> (8) adds the tie-break parts without carrying into the points.</li>
 * </ul>
 * Points are decoded as {@code floor(score / 2^(tieBreakBits + headroomBits))}.
 */
public final class TieBreakEncoding {

	/** Bits of a double's significand: every integer below 2^53 is exact. */
	public static final int SIGNIFICAND_BITS = 53;

	/** Zero bits between the points and the tie-break, room for weighted sums. */
	public static final int HEADROOM_BITS = 3;

	private final int scoreBits;

	private final int tieBreakBits;

	private final long scale;

	/**
	 * Creates the encoding.
	 * @param scoreBits the bits for the points' magnitude, 20 to 49
	 */
	public TieBreakEncoding(int scoreBits) {
		if (scoreBits < 20 || scoreBits > SIGNIFICAND_BITS - HEADROOM_BITS - 1) {
			throw new IllegalArgumentException("scoreBits must be between 20 and " + (SIGNIFICAND_BITS - HEADROOM_BITS - 1));
		}
		this.scoreBits = scoreBits;
		this.tieBreakBits = SIGNIFICAND_BITS - scoreBits - HEADROOM_BITS;
		this.scale = 1L << (this.tieBreakBits + HEADROOM_BITS);
	}

	/**
	 * Returns the bits for the points' magnitude.
	 * @return the score bits
	 */
	public int scoreBits() {
		return this.scoreBits;
	}

	/**
	 * Returns the bits of the tie-break part.
	 * @return {@code 53 - scoreBits - 3}
	 */
	public int tieBreakBits() {
		return this.tieBreakBits;
	}

	/**
	 * Returns the factor points are multiplied with.
	 * @return {@code 2^(tieBreakBits + headroomBits)}
	 */
	public long scale() {
		return this.scale;
	}

	/**
	 * Returns the largest magnitude of points stored exactly.
	 * @return {@code 2^scoreBits - 1}
	 */
	public long maxPoints() {
		return (1L << this.scoreBits) - 1;
	}

	/**
	 * Returns the largest sum of weights a combination may use.
	 * @return {@code 2^headroomBits}
	 */
	public static int maxWeightSum() {
		return 1 << HEADROOM_BITS;
	}

	/**
	 * Computes the tie-break part for a time inside a window.
	 * @param atMillis when the points were reached (epoch milliseconds)
	 * @param windowStartMillis the window's first instant
	 * @param windowEndMillis the first instant after the window
	 * @return the tie-break, larger for earlier times
	 */
	public long tieBreak(long atMillis, long windowStartMillis, long windowEndMillis) {
		long steps = 1L << this.tieBreakBits;
		double fraction = (double) (atMillis - windowStartMillis) / (windowEndMillis - windowStartMillis);
		long step = Math.max(0, Math.min(steps - 1, (long) Math.floor(fraction * steps)));
		return steps - 1 - step;
	}

	/**
	 * Packs points and a tie-break into a score.
	 * @param points the points, magnitude at most {@link #maxPoints()}
	 * @param tieBreak the tie-break part
	 * @return the sorted-set score
	 */
	public double encode(long points, long tieBreak) {
		requirePoints(points);
		return (double) (points * this.scale + tieBreak);
	}

	/**
	 * Reads the points from a score (also from a weighted combination).
	 * @param score the sorted-set score
	 * @return the points
	 */
	public long points(double score) {
		return Math.floorDiv((long) score, this.scale);
	}

	/**
	 * Checks that points can be stored exactly.
	 * @param points the points
	 * @throws IllegalArgumentException when their magnitude exceeds {@link #maxPoints()}
	 */
	public void requirePoints(long points) {
		if (points > maxPoints() || points < -maxPoints()) {
			throw new IllegalArgumentException("Leaderboard points must be within ±" + maxPoints()
					+ " (2^" + this.scoreBits + " - 1, redis-patterns.leaderboard.score-bits): " + points);
		}
	}

}
