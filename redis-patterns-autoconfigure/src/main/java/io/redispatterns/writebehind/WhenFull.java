package io.redispatterns.writebehind;

/**
 * What a write to a full buffer does. A write that only coalesces into a pending key never finds the
 * buffer full.
 */
public enum WhenFull {

	/** Throw {@link WriteBehindFullException} at once. */
	REJECT,

	/** Retry until there is room or the block timeout passes, then throw {@link WriteBehindFullException}. */
	BLOCK

}
