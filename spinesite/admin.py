from django.contrib import admin
from solo.admin import SingletonModelAdmin

from .models import ClinicDetails

admin.site.site_header = "Clinic website"
admin.site.site_title = "Clinic website admin"
admin.site.index_title = "Pages, videos and requests"

admin.site.register(ClinicDetails, SingletonModelAdmin)
