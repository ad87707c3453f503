package io.redispatterns.transaction.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.transaction.RedisTransactions;
import io.redispatterns.transaction.TransactionSettings;

/**
 * The {@code transaction} section of the {@code redispatterns} Actuator endpoint: the settings and
 * the counts of committed transactions, conflicts and transactions that gave up. Makes no Redis call.
 */
public final class TransactionEndpointDetails implements PatternEndpointDetails {

	private final RedisTransactions transactions;

	/**
	 * Creates the section.
	 * @param transactions the transactions
	 */
	public TransactionEndpointDetails(RedisTransactions transactions) {
		this.transactions = transactions;
	}

	@Override
	public String patternName() {
		return "transaction";
	}

	@Override
	public Map<String, Object> describe() {
		Map<String, Object> description = new LinkedHashMap<>();
		if (!(this.transactions instanceof LettuceRedisTransactions lettuce)) {
			description.put("implementation", this.transactions.getClass().getName());
			return description;
		}
		TransactionSettings settings = lettuce.settings();
		description.put("maxAttempts", settings.maxAttempts());
		description.put("initialBackoff", settings.initialBackoff().toString());
		description.put("maxBackoff", settings.maxBackoff().toString());
		description.put("connections", settings.connections());
		description.putAll(lettuce.counts());
		return description;
	}

}
