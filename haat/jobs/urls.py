"""Pages of the jobs app: the job list and search, saved filters, posting and managing jobs."""

from haat.jobs import job_urls, search_urls

app_name = "jobs"
urlpatterns = [*search_urls.urlpatterns, *job_urls.urlpatterns]
