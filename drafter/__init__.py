"""drafter: draft 安全生产月 notices as print-ready GB/T 9704-2012 Word files."""

__version__ = "0.1.0"
