package dev.doorman.testkit;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;

/**
 * Headless Debian chromium through chromedriver, for the browser tests. Where it is not installed the test is
 * skipped, except in CI, where it must be (.ci/run installs it), so a browser test can never pass by not running.
 */
public final class Chromium {
    private static final File BINARY = new File("/usr/bin/chromium");
    private static final File DRIVER = new File("/usr/bin/chromedriver");

    private Chromium() {
    }

    /** Call first in a browser test's set-up: skips the test outside CI when chromium is missing, fails in CI. */
    public static void requireInstalled() {
        boolean installed = BINARY.canExecute() && DRIVER.canExecute();
        if (System.getenv("CI") == null) Assumptions.assumeTrue(installed, "chromium and chromium-driver are not installed");
        if (!installed) throw new AssertionError("CI must install chromium and chromium-driver (.ci/run does)");
    }

    /** A fresh headless browser with its own profile (no cookies from another test), pages loading within 20 s. */
    public static ChromeDriver start() {
        requireInstalled();
        try {
            var options = new ChromeOptions().setBinary(BINARY).addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--user-data-dir=" + Files.createTempDirectory("chromium"));
            var service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort().build();
            var browser = new ChromeDriver(service, options);
            browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
            return browser;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Clicks {@code target} and waits until the browser has left the page (redirects included) and the new one has
     * loaded. Like {@code ExpectedConditions.stalenessOf}, but chromium sometimes reports a node of the old document as
     * "does not belong to the document" instead of stale.
     */
    public static void clickAndWaitForNewPage(WebDriver browser, WebElement target) {
        WebElement page = browser.findElement(By.tagName("html"));
        target.click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> {
            try {
                page.isEnabled();
                return false;
            } catch (StaleElementReferenceException e) {
                return true;
            } catch (WebDriverException e) {
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) return true;
                throw e;
            }
        });
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }
}
