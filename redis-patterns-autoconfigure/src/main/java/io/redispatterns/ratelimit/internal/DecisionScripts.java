package io.redispatterns.ratelimit.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.redispatterns.core.LuaScript;
import io.redispatterns.core.ScriptResult;
import io.redispatterns.ratelimit.RateLimitAlgorithm;
import io.redispatterns.ratelimit.RateLimiter;

/**
 * The decision scripts, composed once from the Lua files next to {@link RateLimiter}: per
 * algorithm {@code prelude.lua} + the algorithm + {@code decide.lua}, and one script with every
 * algorithm for a decision that mixes them. A decision with one limit (almost all) runs instead
 * the algorithm's flattened script ({@code <algorithm>_one.lua}) where there is one: the same
 * arithmetic, writes and reply without the building blocks' tables and closures, which cost more
 * Redis time than the commands the script runs.
 */
final class DecisionScripts {

	private final Map<RateLimitAlgorithm, LuaScript<long[]>> scripts = new EnumMap<>(RateLimitAlgorithm.class);

	private final Map<RateLimitAlgorithm, LuaScript<long[]>> singles = new EnumMap<>(RateLimitAlgorithm.class);

	private final LuaScript<long[]> mixed;

	DecisionScripts() {
		List<String> all = new ArrayList<>();
		all.add("prelude.lua");
		for (RateLimitAlgorithm algorithm : RateLimitAlgorithm.values()) {
			String file = algorithm.value().replace('-', '_') + ".lua";
			all.add(file);
			this.scripts.put(algorithm, LuaScript.compose(RateLimiter.class, ScriptResult.LONG_ARRAY, "prelude.lua",
					file, "decide.lua"));
			if (algorithm != RateLimitAlgorithm.SLIDING_WINDOW) {
				// the sliding log's cost is its sorted set, not its structure: it keeps the composed script
				this.singles.put(algorithm, LuaScript.load(RateLimiter.class,
						algorithm.value().replace('-', '_') + "_one.lua", ScriptResult.LONG_ARRAY));
			}
		}
		all.add("decide.lua");
		this.mixed = LuaScript.compose(RateLimiter.class, ScriptResult.LONG_ARRAY, all.toArray(String[]::new));
	}

	/**
	 * The composed script for charges of one algorithm (any number of them).
	 * @param algorithm the algorithm
	 * @return its script
	 */
	LuaScript<long[]> composed(RateLimitAlgorithm algorithm) {
		// the constructor composes a script for every algorithm
		return Objects.requireNonNull(this.scripts.get(algorithm));
	}

	/**
	 * The script for one charge: the algorithm's flattened script where it has one, else the
	 * composed one. Both take the same keys and arguments and answer the same reply.
	 * @param algorithm the algorithm
	 * @return the script
	 */
	LuaScript<long[]> single(RateLimitAlgorithm algorithm) {
		LuaScript<long[]> single = this.singles.get(algorithm);
		return (single != null) ? single : composed(algorithm);
	}

	/**
	 * The script for a group of charges: the one-charge script for a single charge, the algorithm's
	 * composed script when they share one, else the mixed one.
	 * @param group the charges
	 * @return the script
	 */
	LuaScript<long[]> of(List<Charge> group) {
		RateLimitAlgorithm algorithm = group.get(0).policy().algorithm();
		if (group.size() == 1) {
			return single(algorithm);
		}
		for (Charge charge : group) {
			if (charge.policy().algorithm() != algorithm) {
				return this.mixed;
			}
		}
		return composed(algorithm);
	}

	/**
	 * Every script, the mixed one first (what a warm-up loads).
	 * @return the scripts
	 */
	Collection<LuaScript<long[]>> all() {
		List<LuaScript<long[]>> all = new ArrayList<>();
		all.add(this.mixed);
		all.addAll(this.singles.values());
		all.addAll(this.scripts.values());
		return all;
	}

}
