package io.redispatterns.keyspace.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.EndpointSection;
import io.redispatterns.keyspace.KeyspaceAnalyzer;
import io.redispatterns.keyspace.KeyspaceReport;
import io.redispatterns.keyspace.KeyspaceScanOptions;

/**
 * {@code /actuator/redispatterns/keyspace}: a bounded analysis by {@link KeyspaceAnalyzer}, run on
 * each request. Key names of the largest keys are shown as their group plus a digest (keys can
 * hold session ids or user ids) unless {@code redis-patterns.keyspace.reveal-key-names=true}.
 */
public final class KeyspaceEndpointSection implements EndpointSection {

	private final KeyspaceAnalyzer analyzer;

	private final boolean revealKeyNames;

	/**
	 * Creates the section.
	 * @param analyzer the analyzer
	 * @param revealKeyNames whether full key names are shown
	 */
	public KeyspaceEndpointSection(KeyspaceAnalyzer analyzer, boolean revealKeyNames) {
		this.analyzer = analyzer;
		this.revealKeyNames = revealKeyNames;
	}

	@Override
	public String sectionName() {
		return "keyspace";
	}

	@Override
	public Object report() {
		KeyspaceScanOptions options = this.analyzer.defaults();
		KeyspaceReport report = this.analyzer.analyze(options);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("complete", report.complete());
		if (report.stoppedBy() != null) {
			body.put("stoppedBy", report.stoppedBy());
		}
		body.put("masters", report.masters());
		body.put("scannedKeys", report.scannedKeys());
		body.put("scanCalls", report.scanCalls());
		body.put("durationMs", report.durationMillis());
		body.put("notPermitted", report.notPermitted());
		body.put("options", Map.of("match", options.match(), "groupSegments", options.groupSegments(), "maxKeys",
				options.maxKeys(), "timeLimit", options.timeLimit().toString(), "samplePerGroup", options.samplePerGroup()));
		body.put("groups", report.groups());
		List<Map<String, Object>> largest = report.largestKeys().stream().map((size) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("key", this.revealKeyNames ? size.key() : mask(size));
			entry.put("group", size.group());
			entry.put("type", size.type());
			entry.put("bytes", size.bytes());
			return entry;
		}).toList();
		body.put("largestKeys", largest);
		return body;
	}

	private static String mask(KeyspaceReport.KeySize size) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(size.key().getBytes(StandardCharsets.UTF_8));
			return size.group() + ":…" + HexFormat.of().formatHex(digest, 0, 6);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

}
