"""Start-up: the .env file, SITE_URL required in production, and no library chatter."""

from tests.production_support import manage, production_env, settings_in


def test_dotenv_is_read_and_the_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("CONSULTATION_RATE_LIMIT=7\nFEEDBACK_RATE_LIMIT=9\n")
    values = settings_in(
        production_env(ENV_FILE=str(env_file), FEEDBACK_RATE_LIMIT="11"),
        "CONSULTATION_RATE_LIMIT",
        "FEEDBACK_RATE_LIMIT",
    )
    assert values == {"CONSULTATION_RATE_LIMIT": 7, "FEEDBACK_RATE_LIMIT": 11}


def test_dotenv_can_supply_what_production_requires(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("SECRET_KEY=from-the-dot-env-file-" + "x" * 40 + "\n")
    env = production_env(ENV_FILE=str(env_file), SECRET_KEY=None)
    assert manage("check", env=env).returncode == 0
    assert settings_in(env, "SECRET_KEY")["SECRET_KEY"].startswith("from-the-dot-env-file-")


def test_the_project_dotenv_is_the_default():
    env = production_env()
    del env["ENV_FILE"]
    assert settings_in(env, "ENV_FILE")["ENV_FILE"].endswith("/.env")


def test_production_requires_site_url():
    result = manage("check", env=production_env(SITE_URL=None))
    assert result.returncode != 0
    assert "spinesite.E001" in result.stderr and "SITE_URL must be set" in result.stderr
    # Not guessed from ALLOWED_HOSTS (or worse, from a request's Host header).
    assert settings_in(production_env(SITE_URL=None), "SITE_URL") == {"SITE_URL": ""}
    assert manage("check", env=production_env(SITE_URL="https://example.org")).returncode == 0


def test_commands_start_quietly():
    result = manage("check", env=production_env())
    assert result.returncode == 0, result.stderr
    assert "AXES" not in result.stdout + result.stderr
    assert result.stderr == ""
