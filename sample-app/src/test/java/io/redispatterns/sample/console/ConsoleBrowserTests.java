package io.redispatterns.sample.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.lock.LockLease;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.queue.DeadJobs;
import io.redispatterns.queue.JobId;
import io.redispatterns.queue.JobOptions;
import io.redispatterns.queue.JobQueues;
import io.redispatterns.queue.JobState;
import io.redispatterns.queue.JobStatus;
import io.redispatterns.sample.cache.Product;
import io.redispatterns.sample.queue.SendEmail;
import io.redispatterns.session.SessionInfo;
import io.redispatterns.session.UserSessions;
import io.redispatterns.stream.DeadLetter;
import io.redispatterns.stream.StreamDeadLetters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The operator console of the sample in a real browser: headless Chromium (Debian's
 * {@code chromium} and {@code chromium-driver} packages, installed by {@code .ci/run}) driven by
 * Selenium through the system {@code chromedriver}. The demo operator {@code ops} logs in, opens
 * every page, follows its links, performs every action and the test sees each action's effect in
 * Redis; each page is checked for accessibility basics and saved as a screenshot under
 * {@code target/console-screenshots/}. One browser for the whole class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTests {

	private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

	private static final File CHROMIUM = new File("/usr/bin/chromium");

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

	// @formatter:off (the script is indented with spaces)
	private static final String ACCESSIBILITY_CHECK = """
			const heading = arguments[0];
			const problems = [];
			if (document.documentElement.lang !== 'en') problems.push('no lang="en"');
			const h1 = document.querySelectorAll('h1');
			if (h1.length !== 1) problems.push(h1.length + ' h1 elements');
			else if (h1[0].textContent.trim() !== heading) problems.push('h1 is ' + h1[0].textContent);
			if (!document.title.startsWith(heading)) problems.push('title is ' + document.title);
			if (!document.querySelector('nav[aria-label]')) problems.push('no labelled navigation');
			document.querySelectorAll('input:not([type=hidden]), select, textarea').forEach((field) => {
			  if (!field.id || !document.querySelector('label[for="' + CSS.escape(field.id) + '"]')) {
			    problems.push('field ' + field.name + ' has no label');
			  }
			});
			document.querySelectorAll('button, a').forEach((control) => {
			  if (!control.textContent.trim()) problems.push(control.tagName + ' without a name');
			});
			document.querySelectorAll('table').forEach((table) => {
			  if (table.querySelectorAll(':scope > caption').length !== 1) problems.push('table without caption');
			  if (table.querySelectorAll('th[scope=col]').length === 0) problems.push('table without column headers');
			});
			return problems;
			""";
	// @formatter:on

	@LocalServerPort
	private int port;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JobQueues queues;

	@Autowired
	private DeadJobs deadJobs;

	@Autowired
	private StreamDeadLetters streamDeadLetters;

	@Autowired
	private LockTemplate locks;

	@Autowired
	private CacheTemplate caches;

	@Autowired
	private UserSessions userSessions;

	private WebDriver browser;

	private Path profile;

	@BeforeAll
	void startBrowserAndLogIn() throws IOException {
		// fail, never skip: CI must run these tests (.ci/run installs the packages when missing)
		assertThat(CHROMEDRIVER).as("chromedriver is missing: apt-get install -y chromium chromium-driver").exists();
		assertThat(CHROMIUM).as("chromium is missing: apt-get install -y chromium chromium-driver").exists();
		this.profile = Files.createTempDirectory("console-chromium");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + this.profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
		this.browser.manage().timeouts().pageLoadTimeout(WAIT);
		Files.createDirectories(SCREENSHOTS);

		// an unauthenticated browser is sent to the sample's login page
		open("/redis-patterns");
		assertThat(this.browser.getCurrentUrl()).endsWith("/login");
		this.browser.findElement(By.id("username")).sendKeys("ops");
		this.browser.findElement(By.id("password")).sendKeys("ops-password");
		this.browser.findElement(By.cssSelector("button[type=submit]")).click();
		await().atMost(WAIT).until(() -> this.browser.getCurrentUrl().endsWith("/api/me/sessions"));
	}

	@AfterAll
	void stopBrowser() throws IOException {
		if (this.browser != null) {
			this.browser.quit();
		}
		if (this.profile != null) {
			org.springframework.util.FileSystemUtils.deleteRecursively(this.profile);
		}
	}

	@Test
	@Order(1)
	void overviewLinksEverySection() {
		open("/redis-patterns");
		checkPage("overview", "redis-patterns console");
		List<String> sections = this.browser.findElements(By.cssSelector("nav[aria-label='Console sections'] a"))
			.stream()
			.map(WebElement::getText)
			.toList();
		assertThat(sections).containsExactly("Queues", "Streams", "Locks", "Rate limits", "Caches", "Sessions",
				"Keyspace");
		assertThat(text()).contains("Signed in as ops").contains("Actions enabled");
	}

	@Test
	@Order(2)
	void queuesShowJobsAndTheirActionsChangeRedis() throws Exception {
		String queue = "emails";
		// one attempt each: they are dead at their first failure, and again at once after a retry
		JobOptions once = JobOptions.defaults().attempts(1);
		JobId first = this.queues.enqueue(queue, new SendEmail("first@example.com", "<b>Console</b>", 5), once);
		JobId second = this.queues.enqueue(queue, new SendEmail("second@example.com", "Console", 5), once);
		JobId later = this.queues.enqueue(queue, new SendEmail("later@example.com", "Later", 0),
				JobOptions.delay(Duration.ofHours(1)));
		awaitState(queue, first, JobState.DEAD);
		awaitState(queue, second, JobState.DEAD);

		open("/redis-patterns");
		this.browser.findElement(By.linkText("Queues")).click();
		checkPage("queues", "Queues");
		this.browser.findElement(By.linkText(queue)).click();
		checkPage("queue", "Queue emails");

		// pause, so retried jobs stay waiting where the test can see them
		click("Pause queue emails");
		assertNotice("Paused queue emails");
		assertThat(this.queues.depths(queue).paused()).isTrue();

		this.browser.findElement(By.linkText(first.value())).click();
		checkPage("job", "Job " + first.value());
		assertThat(text()).contains("first@example.com").contains("<b>Console</b>").contains("Mail server unavailable");
		click("Retry job " + first.value());
		assertNotice("Retried job " + first.value() + " of emails");
		assertThat(this.queues.status(queue, first).state()).isEqualTo(JobState.WAITING);

		open("/redis-patterns/queues/emails?state=delayed");
		click("Cancel job " + later.value());
		assertNotice("Cancelled job " + later.value());
		assertThat(this.queues.status(queue, later)).isNull();

		// an action on many items asks first; dismissed, nothing happens
		long dead = this.deadJobs.count(queue);
		clickButtonStartingWith("Retry all");
		this.browser.switchTo().alert().dismiss();
		assertThat(this.deadJobs.count(queue)).isEqualTo(dead);
		clickButtonStartingWith("Retry all");
		this.browser.switchTo().alert().accept();
		assertNotice("Retried " + dead + " dead jobs of emails");
		assertThat(this.queues.status(queue, second).state()).isEqualTo(JobState.WAITING);

		click("Resume queue emails");
		assertNotice("Resumed queue emails");
		assertThat(this.queues.depths(queue).paused()).isFalse();
		awaitState(queue, first, JobState.DEAD);
		awaitState(queue, second, JobState.DEAD);

		open("/redis-patterns/queues/emails");
		clickButtonStartingWith("Purge all");
		this.browser.switchTo().alert().accept();
		assertNotice("Purged");
		assertThat(this.queues.status(queue, first)).isNull();
		assertThat(this.queues.status(queue, second)).isNull();
	}

	@Test
	@Order(3)
	void streamsShowGroupsAndReplayADeadLetterAfterShowingIt() throws Exception {
		this.mvc.perform(post("/api/orders").contentType(MediaType.APPLICATION_JSON).content("{\"amount\": -7}"))
			.andExpect(status().isOk());
		DeadLetter letter = await().atMost(WAIT).until(() -> this.streamDeadLetters.list("orders", 1000)
			.stream()
			.filter((candidate) -> candidate.payload() != null && candidate.payload().contains("-7"))
			.findFirst(), Optional::isPresent).get();

		open("/redis-patterns");
		this.browser.findElement(By.linkText("Streams")).click();
		checkPage("streams", "Streams");
		assertThat(text()).contains("billing");
		this.browser.findElement(By.linkText("orders")).click();
		checkPage("stream", "Stream orders");
		assertThat(text()).contains("Consumers of billing").contains("Dead letters, oldest first");
		this.browser.findElement(By.linkText("Review entry " + letter.id())).click();
		checkPage("dead-letter", "Dead letter " + letter.id());
		assertThat(text()).contains("Cannot bill a negative amount").contains("-7");
		click("Replay entry " + letter.id() + " to orders");
		assertNotice("Replayed dead letter " + letter.id() + " to orders");
		assertThat(this.streamDeadLetters.list("orders", letter.id(), 1)).extracting(DeadLetter::id)
			.doesNotContain(letter.id());
	}

	@Test
	@Order(4)
	void locksShowHeldLocksWithTheirFencingToken() {
		LockLease lease = this.locks.tryAcquire("console-demo", Duration.ofMinutes(1), Duration.ZERO).orElseThrow();
		try {
			open("/redis-patterns/locks");
			checkPage("locks", "Locks");
			WebElement row = this.browser.findElement(By.xpath("//tr[td[1][text()='console-demo']]"));
			assertThat(row.getText()).contains(Long.toString(lease.fencingToken()));
		}
		finally {
			lease.close();
		}
	}

	@Test
	@Order(5)
	void rateLimitsShowPoliciesAndDecisions() throws Exception {
		this.mvc.perform(get("/api/quotes")).andExpect(status().isOk());
		open("/redis-patterns/rate-limits");
		checkPage("rate-limits", "Rate limits");
		WebElement quotes = this.browser.findElement(By.xpath("//tr[td[1][text()='quotes']]"));
		assertThat(quotes.getText()).contains("sliding-window").contains("CLOSED");
	}

	@Test
	@Order(6)
	void cachesShowEntriesAndEvictAKeyAndATag() throws Exception {
		this.mvc.perform(get("/api/products/7")).andExpect(status().isOk());
		this.mvc.perform(get("/api/products/8")).andExpect(status().isOk());
		assertThat(this.caches.get("products", 7L, Product.class)).isNotNull();

		open("/redis-patterns");
		this.browser.findElement(By.linkText("Caches")).click();
		checkPage("caches", "Caches");
		this.browser.findElement(By.linkText("products")).click();
		checkPage("cache", "Cache products");
		click("Evict 7");
		assertNotice("Evicted key 7 from products");
		assertThat(this.caches.get("products", 7L, Product.class)).isNull();
		assertThat(this.caches.get("products", 8L, Product.class)).isNotNull();

		click("Evict tag products");
		this.browser.switchTo().alert().accept();
		assertNotice("entries tagged products");
		assertThat(this.caches.get("products", 8L, Product.class)).isNull();
	}

	@Test
	@Order(7)
	void sessionsOfAPrincipalAreListedAndRevoked() throws Exception {
		this.mvc.perform(post("/login").param("username", "alice").param("password", "alice-password").with(csrf()))
			.andExpect(redirectedUrl("/api/me/sessions"));
		SessionInfo alice = this.userSessions.list("alice").get(0);

		open("/redis-patterns/sessions");
		checkPage("sessions", "Sessions");
		// keyboard only: the labelled field, typed into, submitted with Enter
		WebElement field = this.browser.findElement(By.id(this.browser.findElement(By.xpath("//label[text()='Principal name']"))
			.getAttribute("for")));
		field.sendKeys("alice", Keys.ENTER);
		await().atMost(WAIT).until(() -> text().contains("Sessions of alice"));
		screenshot("sessions-of-alice");
		click("Revoke session " + alice.idHash());
		assertNotice("Revoked session " + alice.idHash() + " of alice");
		assertThat(this.userSessions.list("alice")).extracting(SessionInfo::idHash).doesNotContain(alice.idHash());
	}

	@Test
	@Order(8)
	void keyspacePageSaysWhenNoAnalysisIsAvailable() {
		open("/redis-patterns/keyspace");
		checkPage("keyspace", "Keyspace");
	}

	@Test
	@Order(9)
	void onlyOperatorsGetIn() throws Exception {
		this.mvc.perform(get("/redis-patterns").with(httpBasic("alice", "alice-password")))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/redis-patterns/queues").with(httpBasic("bob", "bob-password")))
			.andExpect(status().isForbidden());
		this.mvc.perform(post("/redis-patterns/queues/actions/pause").param("queue", "emails")
			.with(httpBasic("bob", "bob-password"))
			.with(csrf())).andExpect(status().isForbidden());
		this.mvc.perform(get("/redis-patterns/queues")).andExpect(redirectedUrl("/login"));
		this.mvc.perform(get("/redis-patterns/queues").with(httpBasic("ops", "ops-password")))
			.andExpect(status().isOk());
		// a post without the console's token (a forged form) is refused even for the operator
		this.mvc.perform(post("/redis-patterns/queues/actions/pause").param("queue", "emails")
			.with(httpBasic("ops", "ops-password"))
			.with(csrf())).andExpect(status().isForbidden());
		assertThat(this.queues.depths("emails").paused()).isFalse();
	}

	private void open(String path) {
		this.browser.get("http://localhost:" + this.port + path);
	}

	private String text() {
		return this.browser.findElement(By.tagName("body")).getText();
	}

	private void click(String button) {
		this.browser.findElement(By.xpath("//button[normalize-space()='" + button + "']")).click();
	}

	private void clickButtonStartingWith(String start) {
		this.browser.findElement(By.xpath("//button[starts-with(normalize-space(), '" + start + "')]")).click();
	}

	private void assertNotice(String text) {
		await().atMost(WAIT).untilAsserted(() -> assertThat(
				this.browser.findElement(By.cssSelector("[role=status]")).getText()).contains(text));
	}

	private void awaitState(String queue, JobId id, JobState state) {
		await().atMost(WAIT).until(() -> {
			JobStatus status = this.queues.status(queue, id);
			return status != null && status.state() == state;
		});
	}

	/**
	 * Checks a page's accessibility basics and saves its screenshot: a language, one {@code h1}
	 * with the expected text, a labelled navigation, a label for every visible form field, a name
	 * for every button, a caption for every table, and a skip link reached first by the keyboard.
	 */
	private void checkPage(String name, String heading) {
		// one script for all checks: a WebDriver round trip per element would dominate the test's time
		Object problems = ((JavascriptExecutor) this.browser).executeScript(ACCESSIBILITY_CHECK, heading);
		assertThat((List<?>) problems).as("accessibility problems on " + name).isEmpty();
		screenshot(name);
		new Actions(this.browser).sendKeys(Keys.TAB).perform();
		WebElement focused = this.browser.switchTo().activeElement();
		assertThat(focused.getText()).as("first element reached by the keyboard on " + name)
			.isEqualTo("Skip to content");
	}

	private void screenshot(String name) {
		File shot = ((ChromeDriver) this.browser).getScreenshotAs(OutputType.FILE);
		try {
			Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot save the screenshot of " + name, ex);
		}
	}


}
