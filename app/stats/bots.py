"""Which requests are robots: crawlerdetect's maintained list, plus what no browser sends."""

from crawlerdetect import CrawlerDetect

_detector = CrawlerDetect()  # compiled once; is_crawler() keeps an LRU cache of recent user agents


def is_bot(user_agent: str | None) -> bool:
    """True for crawlers, monitors, libraries and empty user agents (every browser sends one)."""
    agent = (user_agent or "").strip()
    if len(agent) < 8:
        return True
    return _detector.is_crawler(agent[:512])
