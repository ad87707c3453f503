package io.redispatterns.ratelimit.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitPolicy;

/**
 * The wire format of a decision script ({@code decide.lua}, and the one-limit scripts that answer
 * the same): the keys and arguments sent for a group of charges, and the
 * {@link RateLimitDecision.Limit} read back for each charge. Per charge
 * the script takes five arguments (algorithm code, the policy's three parameters, the cost) and
 * answers four integers (allowed, units available before charging, reset and retry-after in
 * microseconds), after the group's "all allowed" flag; the server time ends the reply.
 * <p>
 * Allocation-lean on purpose (a decision is the hottest path of the limiter): a policy's constant
 * arguments are encoded once when it is registered, small costs come from a table.
 */
final class DecisionCodec {

	/** Arguments per charge. */
	private static final int ARGS_PER_CHARGE = 5;

	/** Integers per charge in the reply. */
	private static final int VALUES_PER_CHARGE = 4;

	/** Small costs, encoded once: most decisions charge 1. */
	private static final byte[][] SMALL_NUMBERS = new byte[256][];

	private static final byte[] CHECK_ONLY = { '1' };

	static {
		for (int i = 0; i < SMALL_NUMBERS.length; i++) {
			SMALL_NUMBERS[i] = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
		}
	}

	private DecisionCodec() {
	}

	/**
	 * The script arguments fixed by a policy: its algorithm's code and its three parameters.
	 * @param policy the policy
	 * @return the arguments, UTF-8
	 */
	static byte[][] constants(RateLimitPolicy policy) {
		long[] parameters = policy.scriptParameters();
		return new byte[][] { utf8(Integer.toString(policy.algorithm().code())), utf8(Long.toString(parameters[0])),
				utf8(Long.toString(parameters[1])), utf8(Long.toString(parameters[2])) };
	}

	static byte[][] keys(Charge charge) {
		return new byte[][] { charge.redisKey() };
	}

	static byte[][] keys(List<Charge> group) {
		byte[][] keys = new byte[group.size()][];
		for (int i = 0; i < keys.length; i++) {
			keys[i] = group.get(i).redisKey();
		}
		return keys;
	}

	static byte[][] args(Charge charge) {
		byte[][] args = new byte[ARGS_PER_CHARGE][];
		addArgs(charge, args, 0);
		return args;
	}

	/**
	 * Per charge: the policy's constants, then the cost; then the check-only flag if asked for.
	 * @param group the charges of one script call
	 * @param checkOnly whether the script only evaluates (charges nothing)
	 * @return the arguments
	 */
	static byte[][] args(List<Charge> group, boolean checkOnly) {
		byte[][] args = new byte[group.size() * ARGS_PER_CHARGE + (checkOnly ? 1 : 0)][];
		for (int i = 0; i < group.size(); i++) {
			addArgs(group.get(i), args, i * ARGS_PER_CHARGE);
		}
		if (checkOnly) {
			args[args.length - 1] = CHECK_ONLY;
		}
		return args;
	}

	private static void addArgs(Charge charge, byte[][] args, int offset) {
		byte[][] constants = charge.registered().constants();
		System.arraycopy(constants, 0, args, offset, constants.length);
		long cost = charge.cost();
		args[offset + constants.length] = (cost >= 0 && cost < SMALL_NUMBERS.length) ? SMALL_NUMBERS[(int) cost]
				: utf8(Long.toString(cost));
	}

	/**
	 * Whether a reply has the length the script answers for {@code charges} charges.
	 * @param result the reply
	 * @param charges the number of charges sent
	 * @return {@code true} when it does
	 */
	static boolean isComplete(long[] result, int charges) {
		return result.length == 2 + VALUES_PER_CHARGE * charges;
	}

	/**
	 * Whether the script admitted every charge of its group.
	 * @param result the reply
	 * @return {@code true} when all were admitted
	 */
	static boolean allAdmitted(long[] result) {
		return result[0] == 1L;
	}

	/**
	 * The outcome for the {@code index}-th charge of a group, from the group's reply.
	 * @param charge the charge
	 * @param result the group's reply
	 * @param index the charge's position in the group
	 * @param checkOnly whether the call only evaluated
	 * @return the limit's outcome
	 */
	static RateLimitDecision.Limit limit(Charge charge, long[] result, int index, boolean checkOnly) {
		int base = 1 + VALUES_PER_CHARGE * index;
		long available = result[base + 1];
		// a group's units were taken when its commit admitted, even if a later group rejected
		boolean taken = !checkOnly && allAdmitted(result);
		long remaining = taken ? available - charge.cost() : available;
		remaining = Math.max(0, Math.min(remaining, charge.policy().limit()));
		return new RateLimitDecision.Limit(charge.policy(), result[base] == 1L, remaining, micros(result[base + 2]),
				micros(result[base + 3]));
	}

	private static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static Duration micros(long micros) {
		return Duration.ofNanos(Math.max(0, micros) * 1000);
	}

}
