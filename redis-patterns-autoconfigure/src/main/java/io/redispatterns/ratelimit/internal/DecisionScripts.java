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
 * algorithm for a decision that mixes them.
 */
final class DecisionScripts {

	private final Map<RateLimitAlgorithm, LuaScript<long[]>> scripts = new EnumMap<>(RateLimitAlgorithm.class);

	private final LuaScript<long[]> mixed;

	DecisionScripts() {
		List<String> all = new ArrayList<>();
		all.add("prelude.lua");
		for (RateLimitAlgorithm algorithm : RateLimitAlgorithm.values()) {
			String file = algorithm.value().replace('-', '_') + ".lua";
			all.add(file);
			this.scripts.put(algorithm, LuaScript.compose(RateLimiter.class, ScriptResult.LONG_ARRAY, "prelude.lua",
					file, "decide.lua"));
		}
		all.add("decide.lua");
		this.mixed = LuaScript.compose(RateLimiter.class, ScriptResult.LONG_ARRAY, all.toArray(String[]::new));
	}

	/**
	 * The script for charges of one algorithm.
	 * @param algorithm the algorithm
	 * @return its script
	 */
	LuaScript<long[]> of(RateLimitAlgorithm algorithm) {
		// the constructor composes a script for every algorithm
		return Objects.requireNonNull(this.scripts.get(algorithm));
	}

	/**
	 * The script for a group of charges: the algorithm's own when they share one, else the mixed one.
	 * @param group the charges
	 * @return the script
	 */
	LuaScript<long[]> of(List<Charge> group) {
		RateLimitAlgorithm algorithm = group.get(0).policy().algorithm();
		for (Charge charge : group) {
			if (charge.policy().algorithm() != algorithm) {
				return this.mixed;
			}
		}
		return of(algorithm);
	}

	/**
	 * Every script, the mixed one first (what a warm-up loads).
	 * @return the scripts
	 */
	Collection<LuaScript<long[]>> all() {
		List<LuaScript<long[]>> all = new ArrayList<>();
		all.add(this.mixed);
		all.addAll(this.scripts.values());
		return all;
	}

}
