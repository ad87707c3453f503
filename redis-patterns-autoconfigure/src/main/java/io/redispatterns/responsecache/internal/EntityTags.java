package io.redispatterns.responsecache.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * Strong entity tags from a hash of the body (and its content type, so two representations of one
 * resource never share a tag), and {@code If-None-Match} matching.
 */
final class EntityTags {

	private EntityTags() {
	}

	/** A quoted strong tag: the first 128 bits of SHA-256 over the content type and body, in hex. */
	static String of(@Nullable String contentType, byte[] body) {
		MessageDigest digest = sha256();
		if (contentType != null) {
			digest.update(contentType.getBytes(StandardCharsets.UTF_8));
		}
		digest.update((byte) 0);
		digest.update(body);
		return '"' + HexFormat.of().formatHex(digest.digest(), 0, 16) + '"';
	}

	/**
	 * Tells whether an {@code If-None-Match} header matches a tag, with the weak comparison RFC 9110
	 * prescribes for it ({@code W/} prefixes ignored); {@code *} matches any tag.
	 */
	static boolean matches(@Nullable String ifNoneMatch, String etag) {
		if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
			return false;
		}
		String wanted = opaque(etag);
		for (String candidate : ifNoneMatch.split(",")) {
			String tag = candidate.trim();
			if (tag.equals("*") || opaque(tag).equals(wanted)) {
				return true;
			}
		}
		return false;
	}

	private static String opaque(String tag) {
		return tag.startsWith("W/") ? tag.substring(2) : tag;
	}

	/** SHA-256 of a text, in hex. */
	static String hash(String text) {
		return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)), 0, 16);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

}
