"""The events app's settings (webhooks and background tasks) and their defaults, in one place (read
through `events.conf.settings`). This module only declares values, so settings.py can name its
defaults."""

# Webhook deliveries: seconds per attempt, attempts before a delivery is given up, backoff (the
# first wait, doubling up to the cap), and a delivery left unclaimed this long is queued again.
WEBHOOK_TIMEOUT_SECONDS = 5.0
WEBHOOK_MAX_ATTEMPTS = 8
WEBHOOK_RETRY_BASE_SECONDS = 10.0
WEBHOOK_RETRY_MAX_SECONDS = 6 * 3600.0
WEBHOOK_STALE_SECONDS = 600
# Webhooks reach public addresses only; these networks (CIDRs) are let through too.
WEBHOOK_ALLOWED_NETWORKS: tuple[str, ...] = ()

# Every background task (events/durable.py): runs before it is given up, backoff, the wait of a
# task blocked on an account state (a frozen account), worker heartbeat and how long a silent
# worker's task waits before it runs again.
TASK_MAX_ATTEMPTS = 10
TASK_RETRY_BASE_SECONDS = 10.0
TASK_RETRY_MAX_SECONDS = 3600.0
TASK_WAIT_SECONDS = 60.0
TASK_HEARTBEAT_SECONDS = 5.0
TASK_ABANDONED_SECONDS = 60.0
# The healing sweep checks events and paid orders older than the grace, within the window.
TASK_HEAL_GRACE_SECONDS = 120.0
TASK_HEAL_WINDOW_DAYS = 7
# How often the maintenance chain (sweeps, recovery, healing) runs.
MAINTENANCE_INTERVAL_SECONDS = 60

# The task engine: "database" (django-tasks-db: the primary database is the queue; one host) or
# "rq" (RQ on Redis, TASK_BROKER_URL: many hosts); a broker job runs at most TASK_TIMEOUT_SECONDS.
TASK_BACKEND = "database"
TASK_TIMEOUT_SECONDS = 300
# The outbox's relay runs at most once per this many seconds after commits (0: after every commit).
EVENTS_RELAY_DELAY_SECONDS = 1.0
