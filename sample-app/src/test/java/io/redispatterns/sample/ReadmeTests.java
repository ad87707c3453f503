package io.redispatterns.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the project's Markdown files the way GitHub renders them: a code fence left open turns everything
 * after it into code, and a table of contents that misses a section or links a renamed one misleads.
 * The sample app is where a new user starts, so its tests guard the README they read first.
 */
class ReadmeTests {

	/** An opening or closing code fence: three or more backticks or tildes, then an optional info string. */
	private static final Pattern FENCE = Pattern.compile("^\\s*(`{3,}|~{3,})\\s*([^`]*?)\\s*$");

	private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.+?)\\s*#*\\s*$");

	private static final Pattern ANCHOR_LINK = Pattern.compile("\\]\\(#([^)\\s]+)\\)");

	private static final String CONTENTS_HEADING = "Contents";

	@Test
	void everyCodeFenceInTheProjectsMarkdownIsClosed() {
		List<String> problems = new ArrayList<>();
		for (Path file : markdownFiles()) {
			problems.addAll(unbalancedFences(repositoryRoot().relativize(file).toString(), lines(file)));
		}
		assertThat(problems).isEmpty();
	}

	@Test
	void aFenceLeftOpenBeforeTheNextCodeBlockIsReported() {
		List<String> lines = List.of("```bash", "curl localhost:8080", "", "## Next section", "```java",
				"class A {}", "```");
		assertThat(unbalancedFences("example.md", lines))
			.containsExactly("example.md: the ``` fence opened at line 1 is still open at line 5, "
					+ "which starts a new ```java block");
	}

	@Test
	void aFenceOpenAtTheEndOfTheFileIsReported() {
		assertThat(unbalancedFences("example.md", List.of("```yaml", "a: 1", "```", "```", "text")))
			.containsExactly("example.md: the ``` fence opened at line 4 is never closed");
	}

	@Test
	void longerFencesMayShowShorterOnesAndTildesMayShowBackticks() {
		List<String> lines = List.of("````markdown", "```java", "class A {}", "```", "````", "~~~", "```", "~~~");
		assertThat(unbalancedFences("example.md", lines)).isEmpty();
	}

	@Test
	void theTableOfContentsLinksEverySectionInOrder() {
		List<String> readme = lines(repositoryRoot().resolve("README.md"));
		List<String> sections = new ArrayList<>();
		for (Heading heading : headings(readme)) {
			if (heading.level() == 2 && !heading.text().equals(CONTENTS_HEADING)) {
				sections.add("#" + heading.anchor());
			}
		}
		assertThat(tableOfContentsLinks(readme))
			.as("links under '## %s' in README.md (one per '## ' section, in order)", CONTENTS_HEADING)
			.containsExactlyElementsOf(sections);
	}

	@Test
	void everyLinkToAnAnchorInTheReadmeFindsItsHeading() {
		List<String> readme = lines(repositoryRoot().resolve("README.md"));
		Set<String> anchors = new LinkedHashSet<>();
		headings(readme).forEach((heading) -> anchors.add(heading.anchor()));
		List<String> broken = new ArrayList<>();
		for (String line : outsideFences(readme)) {
			Matcher link = ANCHOR_LINK.matcher(line);
			while (link.find()) {
				if (!anchors.contains(link.group(1))) {
					broken.add("#" + link.group(1));
				}
			}
		}
		assertThat(broken).as("links to headings that do not exist in README.md").isEmpty();
	}

	@Test
	void anchorsAreMadeTheWayGitHubMakesThem() {
		List<String> lines = List.of("## Testing with a real Redis (`redis-patterns-test`)", "## Streams and pub/sub",
				"### Sample app walkthrough", "### Sample app walkthrough");
		assertThat(headings(lines)).extracting(Heading::anchor)
			.containsExactly("testing-with-a-real-redis-redis-patterns-test", "streams-and-pubsub",
					"sample-app-walkthrough", "sample-app-walkthrough-1");
	}

	static List<String> unbalancedFences(String name, List<String> lines) {
		List<String> problems = new ArrayList<>();
		String open = null;
		int openedAt = 0;
		for (int i = 0; i < lines.size(); i++) {
			Matcher fence = FENCE.matcher(lines.get(i));
			if (!fence.matches()) {
				continue;
			}
			String marker = fence.group(1);
			String info = fence.group(2);
			if (open == null) {
				open = marker;
				openedAt = i + 1;
			}
			else if (marker.charAt(0) == open.charAt(0) && marker.length() >= open.length()) {
				if (info.isEmpty()) {
					open = null;
				}
				else {
					// CommonMark would render this line as code; in practice it means the fence above was not closed.
					problems.add("%s: the %s fence opened at line %d is still open at line %d, which starts a new %s%s block"
						.formatted(name, open, openedAt, i + 1, marker, info));
					open = marker;
					openedAt = i + 1;
				}
			}
		}
		if (open != null) {
			problems.add("%s: the %s fence opened at line %d is never closed".formatted(name, open, openedAt));
		}
		return problems;
	}

	private static List<String> tableOfContentsLinks(List<String> readme) {
		List<String> links = new ArrayList<>();
		boolean inContents = false;
		for (String line : outsideFences(readme)) {
			Matcher heading = HEADING.matcher(line);
			if (heading.matches()) {
				inContents = heading.group(1).length() == 2 && heading.group(2).equals(CONTENTS_HEADING);
				continue;
			}
			if (inContents && line.stripLeading().startsWith("- ")) {
				Matcher link = ANCHOR_LINK.matcher(line);
				if (link.find()) {
					links.add("#" + link.group(1));
				}
			}
		}
		return links;
	}

	private static List<Heading> headings(List<String> lines) {
		List<Heading> headings = new ArrayList<>();
		Map<String, Integer> seen = new HashMap<>();
		for (String line : outsideFences(lines)) {
			Matcher heading = HEADING.matcher(line);
			if (heading.matches()) {
				String text = heading.group(2);
				String slug = slug(text);
				int times = seen.merge(slug, 1, Integer::sum);
				headings.add(new Heading(heading.group(1).length(), text, (times == 1) ? slug : slug + "-" + (times - 1)));
			}
		}
		return headings;
	}

	/** GitHub's anchors: rendered text lower-cased, punctuation dropped, spaces as hyphens. */
	private static String slug(String headingText) {
		String rendered = headingText.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "").replace("*", "");
		return rendered.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
	}

	private static List<String> outsideFences(List<String> lines) {
		List<String> outside = new ArrayList<>();
		String open = null;
		for (String line : lines) {
			Matcher fence = FENCE.matcher(line);
			if (fence.matches()) {
				String marker = fence.group(1);
				if (open == null) {
					open = marker;
				}
				else if (marker.charAt(0) == open.charAt(0) && marker.length() >= open.length()
						&& fence.group(2).isEmpty()) {
					open = null;
				}
				continue;
			}
			if (open == null) {
				outside.add(line);
			}
		}
		return outside;
	}

	private static List<Path> markdownFiles() {
		try (Stream<Path> files = Files.walk(repositoryRoot())) {
			List<Path> markdown = files
				.filter((file) -> file.getFileName().toString().endsWith(".md"))
				.filter((file) -> !isBuildOutput(repositoryRoot().relativize(file)))
				.sorted()
				.toList();
			assertThat(markdown).contains(repositoryRoot().resolve("README.md"));
			return markdown;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean isBuildOutput(Path relative) {
		for (Path part : relative) {
			String name = part.toString();
			if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
				return true;
			}
		}
		return false;
	}

	/** The sample app's tests run in {@code sample-app/}; the README is one level up. */
	private static Path repositoryRoot() {
		Path moduleDir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
		Path root = moduleDir.getParent();
		assertThat(root.resolve("README.md")).as("README.md next to the sample-app module").isRegularFile();
		return root;
	}

	private static List<String> lines(Path file) {
		try {
			return Files.readAllLines(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private record Heading(int level, String text, String anchor) {
	}

}
