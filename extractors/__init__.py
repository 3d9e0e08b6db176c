"""Export readers and the verbal portrait: from a platform's archive to words about a person."""

from extractors.describe import describe
from extractors.models import Post, Profile
from extractors.registry import read_export
from extractors.source import ReadLimits

__all__ = ["Post", "Profile", "ReadLimits", "describe", "read_export"]
