package io.redispatterns.idempotency;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A completed response as kept for replays.
 * @param status the HTTP status
 * @param headers the kept headers, in order, as name and value
 * @param body the body; empty when {@code bodyOmitted}
 * @param bodyOmitted whether the body was larger than the configured maximum and not kept
 */
public record StoredResponse(int status, List<Map.Entry<String, String>> headers, byte[] body, boolean bodyOmitted) {

	/**
	 * Encodes headers as {@code Name: value} lines, the way HTTP/1.1 writes them (values cannot
	 * contain line breaks, so the encoding is unambiguous).
	 * @param headers the headers
	 * @return the encoded headers
	 */
	static String encodeHeaders(List<Map.Entry<String, String>> headers) {
		StringBuilder encoded = new StringBuilder();
		for (Map.Entry<String, String> header : headers) {
			encoded.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
		}
		return encoded.toString();
	}

	/**
	 * Decodes headers written by {@link #encodeHeaders(List)}.
	 * @param encoded the encoded headers
	 * @return the headers
	 */
	static List<Map.Entry<String, String>> decodeHeaders(byte[] encoded) {
		List<Map.Entry<String, String>> headers = new ArrayList<>();
		for (String line : new String(encoded, StandardCharsets.UTF_8).split("\r\n")) {
			int colon = line.indexOf(": ");
			if (colon > 0) {
				headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 2)));
			}
		}
		return headers;
	}

}
