"""Readers of published formats: survey exports, OpenAlex answers, CORDIS files, screening lists."""
